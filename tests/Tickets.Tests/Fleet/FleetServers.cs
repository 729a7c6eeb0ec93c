using System.Globalization;
using System.Runtime.Versioning;
using Tickets.Redis;
using Tickets.Tests.Interop;

namespace Tickets.Tests.Fleet;

/// <summary>
/// A fleet for the interop tests: a redis-server of the test's own, a KEK file, and real `tickets serve --redis`
/// processes started on demand. Disposing stops them all.
/// </summary>
[UnsupportedOSPlatform("windows")]
internal sealed class FleetServers : IAsyncDisposable
{
    // Two seconds per Redis operation: a machine busy with the rest of the suite must not fake an outage, and a stopped
    // Redis still fails at once (commands fail fast while disconnected).
    private static readonly string[] CommonFlags = ["--redis-timeout", "2000"];
    private readonly List<TicketsServer> servers = [];

    private FleetServers(RedisServer redis, string directory, string kekPath)
    {
        Redis = redis;
        Directory = directory;
        KekPath = kekPath;
    }

    public RedisServer Redis { get; }

    /// <summary>Scratch space for session files.</summary>
    public string Directory { get; }

    public string KekPath { get; }

    /// <summary>A fleet whose Redis requires <paramref name="auth"/>, if given.</summary>
    public static async Task<FleetServers> StartAsync(RedisAuth? auth = null)
    {
        var redis = await RedisServer.StartAsync(auth);
        var directory = InteropPaths.NewDirectory("fleet");
        var kekPath = Path.Combine(directory, "fleet.kek");
        var (kek, text) = FleetKek.Generate();
        kek.Dispose();
        File.WriteAllText(kekPath, text + "\n");
        File.SetUnixFileMode(kekPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return new FleetServers(redis, directory, kekPath);
    }

    /// <summary>Starts one member in --www mode with the fleet's flags plus <paramref name="extra"/>.</summary>
    public async Task<TicketsServer> MemberAsync(params string[] extra)
    {
        var server = await TicketsServer.StartAsync(
            ["--port", "0", "--www", "--redis", Redis.Endpoint, "--fleet-kek-file", KekPath, .. CommonFlags, .. extra]);
        servers.Add(server);
        return server;
    }

    /// <summary>
    /// Starts a member that gets the KEK from $TICKETS_FLEET_KEK instead of a file, the way a container would, with the
    /// same key as the file so it belongs to the same fleet.
    /// </summary>
    public async Task<TicketsServer> MemberWithKekInEnvironmentAsync(params string[] extra)
    {
        var server = await TicketsServer.StartAsync(
            ["--port", "0", "--www", "--redis", Redis.Endpoint, .. CommonFlags, .. extra],
            environment: new Dictionary<string, string> { ["TICKETS_FLEET_KEK"] = File.ReadAllText(KekPath).Trim() });
        servers.Add(server);
        return server;
    }

    /// <summary>Starts a member as <see cref="MemberAsync"/> does, with <paramref name="environment"/> added to its own.</summary>
    public async Task<TicketsServer> MemberWithEnvironmentAsync(IReadOnlyDictionary<string, string> environment, params string[] extra)
    {
        var server = await TicketsServer.StartAsync(
            ["--port", "0", "--www", "--redis", Redis.Endpoint, "--fleet-kek-file", KekPath, .. CommonFlags, .. extra],
            environment: environment);
        servers.Add(server);
        return server;
    }

    /// <summary>Writes <paramref name="firstLine"/> and a newline to a fresh file of mode 0600, as an operator would keep a password.</summary>
    public string SecretFile(string name, string firstLine)
    {
        var path = Path.Combine(Directory, $"{name}-{Guid.NewGuid():N}");
        File.WriteAllText(path, firstLine + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return path;
    }

    /// <summary>A fresh file name for a session s_client saves.</summary>
    public string SessionFile(string name) => Path.Combine(Directory, $"{name}-{Guid.NewGuid():N}.pem");

    public async ValueTask DisposeAsync()
    {
        foreach (var server in servers)
            await server.DisposeAsync();
        await Redis.DisposeAsync();
    }
}

/// <summary>One `openssl s_client` connection, optionally offering a saved session and saving the newest ticket.</summary>
internal static class FleetClient
{
    public sealed record Result(bool Reused, bool Saved, ProcessResult Output);

    public static async Task<Result> ConnectAsync(TicketsServer server, string? offer, string save)
    {
        var arguments = new List<string>
        {
            "s_client", "-connect", $"127.0.0.1:{server.Port.ToString(CultureInfo.InvariantCulture)}", "-servername", "localhost",
            "-tls1_3", "-ign_eof", "-sess_out", save,
        };
        if (offer is not null)
            arguments.AddRange(["-sess_in", offer]);
        var output = await ExternalProgram.RunAsync("openssl", arguments, OpenSslClientRequest, TimeSpan.FromSeconds(20));
        Assert.True(output.ExitCode == 0, output.Describe());
        var reused = output.StandardOutput.Contains("Reused, TLSv1.3", StringComparison.Ordinal);
        var fresh = output.StandardOutput.Contains("New, TLSv1.3", StringComparison.Ordinal);
        Assert.True(reused ^ fresh, $"s_client should report exactly one of New/Reused:\n{output.Describe()}");
        // The server's own account must agree with the client's.
        var line = await server.NextConnectionAsync();
        Assert.Equal(reused, line.Resumed);
        return new Result(reused, File.Exists(save), output);
    }

    private const string OpenSslClientRequest = "GET / HTTP/1.0\r\n\r\n";
}
