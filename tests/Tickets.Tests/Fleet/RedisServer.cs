using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using StackExchange.Redis;
using Tickets.Tests.Interop;

namespace Tickets.Tests.Fleet;

/// <summary>
/// A real redis-server of the test's own on a free loopback port, without persistence, so every test starts from an
/// empty Redis. It can be stopped and started again on the same port to play an outage. Disposing stops it. Given a
/// <see cref="RedisAuth"/>, it asks every client for a password, as a shared Redis should.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);
    private Process? process;
    private ConnectionMultiplexer? raw;

    private RedisServer(int port, RedisAuth? auth)
    {
        Port = port;
        Auth = auth;
    }

    public int Port { get; }

    /// <summary>The passwords (and ACL user) this server requires; null: none.</summary>
    public RedisAuth? Auth { get; }

    /// <summary>HOST:PORT, as <c>--redis</c> takes it.</summary>
    public string Endpoint => $"127.0.0.1:{Port}";

    public static async Task<RedisServer> StartAsync(RedisAuth? auth = null)
    {
        var server = new RedisServer(FreePort.Next(), auth);
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>Starts redis-server (again) on <see cref="Port"/> and waits until it answers PING.</summary>
    public async Task StartAgainAsync()
    {
        if (process is { HasExited: false })
            throw new InvalidOperationException("redis-server is already running");
        process?.Dispose();
        List<string> arguments = ["--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"];
        if (Auth is { } auth)
        {
            arguments.AddRange(["--requirepass", auth.Password]);
            // An ACL user of its own with every right the fleet needs (keys, channels, Lua), and its own password, so a
            // login that works proves the user name was sent: the default user's password would not do.
            if (auth.User is { } user)
                arguments.AddRange(["--user", user, "on", ">" + auth.UserPassword, "~*", "&*", "+@all"]);
        }

        var started = new Process { StartInfo = ExternalProgram.StartInfo("redis-server", arguments) };
        started.Start();
        started.StandardInput.Close();
        // The output is not needed, only drained so redis-server never blocks writing it.
        started.OutputDataReceived += (_, _) => { };
        started.ErrorDataReceived += (_, _) => { };
        started.BeginOutputReadLine();
        started.BeginErrorReadLine();
        process = started;

        var deadline = Stopwatch.StartNew();
        while (!await AnswersPingAsync())
        {
            if (started.HasExited)
                throw new InvalidOperationException($"redis-server on port {Port} exited with {started.ExitCode} at start");
            if (deadline.Elapsed > StartTimeout)
                throw new TimeoutException($"redis-server on port {Port} did not answer PING within {StartTimeout}");
            await Task.Delay(50);
        }
    }

    /// <summary>Kills redis-server (its data goes with it) and waits until it is gone.</summary>
    public async Task StopAsync()
    {
        if (process is null || process.HasExited)
            return;
        // A frozen server would ignore SIGTERM; SIGKILL ends it either way.
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
    }

    /// <summary>
    /// Freezes redis-server (SIGSTOP): connections stay open but nothing answers, the way an overloaded or stalled
    /// server looks to its clients. <see cref="ResumeAsync"/> thaws it.
    /// </summary>
    public Task PauseAsync() => SignalAsync("-STOP");

    public Task ResumeAsync() => SignalAsync("-CONT");

    /// <summary>A plain client of the test's own, for reading what the fleet stored exactly as Redis holds it.</summary>
    public async Task<IDatabase> RawAsync()
    {
        if (raw is null)
        {
            var configuration = new ConfigurationOptions { AbortOnConnectFail = false, Password = Auth?.Password, AllowAdmin = true };
            configuration.EndPoints.Add(Endpoint);
            raw = await ConnectionMultiplexer.ConnectAsync(configuration);
        }

        return raw.GetDatabase();
    }

    /// <summary>
    /// Connections redis-server has accepted since it started (INFO stats): each attempt of a client to (re)connect is
    /// one, which lets a test wait for a client to have retried without guessing how long that takes.
    /// </summary>
    public async Task<long> ConnectionsReceivedAsync()
    {
        var database = await RawAsync();
        var info = (string?)await database.ExecuteAsync("INFO", "stats") ?? "";
        var line = info.Split('\n').Single(l => l.StartsWith("total_connections_received:", StringComparison.Ordinal));
        return long.Parse(line["total_connections_received:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        if (raw is not null)
            await raw.DisposeAsync();
        await StopAsync();
        process?.Dispose();
    }

    private async Task SignalAsync(string signal)
    {
        var target = process ?? throw new InvalidOperationException("redis-server was never started");
        var result = await ExternalProgram.RunAsync("kill", [signal, target.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        if (result.ExitCode != 0)
            throw new InvalidOperationException(result.Describe());
    }

    private async Task<bool> AnswersPingAsync()
    {
        try
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, Port));
            await socket.SendAsync(Encoding.ASCII.GetBytes("PING\r\n"));
            var buffer = new byte[16];
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            var read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            // A server that wants a password answers NOAUTH: up all the same.
            var answer = Encoding.ASCII.GetString(buffer, 0, read);
            return answer.StartsWith("+PONG", StringComparison.Ordinal) || (Auth is not null && answer.StartsWith("-NOAUTH", StringComparison.Ordinal));
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return false;
        }
    }
}

/// <summary>
/// What a test Redis requires: <paramref name="Password"/> for the default user (requirepass), and optionally an ACL user
/// <paramref name="User"/> whose password is <paramref name="UserPassword"/>.
/// </summary>
public sealed record RedisAuth(string Password, string? User = null, string? UserPassword = null)
{
    /// <summary>A password no test output can contain by chance, so "never printed" can be checked by searching for it.</summary>
    public static string NewPassword() => $"pw-{Guid.NewGuid():N}";
}
