using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using StackExchange.Redis;
using Tickets.Tests.Interop;

namespace Tickets.Tests.Fleet;

/// <summary>
/// A real redis-server of the test's own on a free loopback port, without persistence, so every test starts from an
/// empty Redis. It can be stopped and started again on the same port to play an outage. Disposing stops it.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);
    private Process? process;
    private ConnectionMultiplexer? raw;

    private RedisServer(int port) => Port = port;

    public int Port { get; }

    /// <summary>HOST:PORT, as <c>--redis</c> takes it.</summary>
    public string Endpoint => $"127.0.0.1:{Port}";

    public static async Task<RedisServer> StartAsync()
    {
        var server = new RedisServer(FreePort.Next());
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>Starts redis-server (again) on <see cref="Port"/> and waits until it answers PING.</summary>
    public async Task StartAgainAsync()
    {
        if (process is { HasExited: false })
            throw new InvalidOperationException("redis-server is already running");
        process?.Dispose();
        var started = new Process
        {
            StartInfo = ExternalProgram.StartInfo(
                "redis-server",
                ["--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]),
        };
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
        raw ??= await ConnectionMultiplexer.ConnectAsync($"{Endpoint},abortConnect=false");
        return raw.GetDatabase();
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
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return false;
        }
    }
}
