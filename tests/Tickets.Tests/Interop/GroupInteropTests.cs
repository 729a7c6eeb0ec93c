using System.Globalization;
using Tickets.Tests.Interop.Clients;

namespace Tickets.Tests.Interop;

/// <summary>
/// Every group with real clients against `tickets serve`: openssl s_client -groups, gnutls-cli --priority and Node's
/// ecdhCurve, each offering that group alone, so the handshake can only succeed in it. The server's log line and the
/// client's own report must both name it. (X25519MLKEM768 is Chromium's: see <see cref="ChromiumTests"/>.)
/// </summary>
[Trait("Category", TestCategory.Interop)]
public sealed class GroupInteropTests
{
    /// <summary>s_client's -groups name, what the server logs, what s_client prints as "Server Temp Key".</summary>
    private static readonly (string Client, string Logged, string TempKey)[] OpenSslGroups =
    [
        ("X25519", "x25519", "X25519, 253 bits"),
        ("P-256", "secp256r1", "ECDH, prime256v1, 256 bits"),
        ("P-384", "secp384r1", "ECDH, secp384r1, 384 bits"),
        ("secp521r1", "secp521r1", "ECDH, secp521r1, 521 bits"),
        ("X448", "x448", "X448, 448 bits"),
        ("ffdhe2048", "ffdhe2048", "DH, 2048 bits"),
        ("ffdhe3072", "ffdhe3072", "DH, 3072 bits"),
        ("ffdhe4096", "ffdhe4096", "DH, 4096 bits"),
        ("ffdhe6144", "ffdhe6144", "DH, 6144 bits"),
        ("ffdhe8192", "ffdhe8192", "DH, 8192 bits"),
    ];

    private static Task<ProcessResult> SClientAsync(int port, params string[] options) =>
        ExternalProgram.RunAsync(
            "openssl",
            ["s_client", "-connect", $"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}", "-tls1_3", "-msg", .. options],
            "ping\n",
            TimeSpan.FromSeconds(20));

    [Fact]
    public async Task OpenSsl_s_client_completes_a_handshake_in_each_group_it_has()
    {
        await using var server = await TicketsServer.StartAsync(["--port", "0"]);
        foreach (var (client, logged, tempKey) in OpenSslGroups)
        {
            var run = await SClientAsync(server.Port, "-groups", client);
            Assert.True(run.ExitCode == 0, run.Describe());
            Assert.Contains($"Server Temp Key: {tempKey}", run.StandardOutput, StringComparison.Ordinal);
            var line = await server.NextConnectionAsync();
            Assert.Equal(logged, line.Group);
        }
    }

    [Fact]
    public async Task A_retry_asks_for_the_servers_first_group_among_those_the_client_lists()
    {
        // s_client sends a share for its first group only (x25519), which this server does not take; of the other two
        // it lists, the server's order puts secp384r1 before ffdhe2048, whatever the client's order.
        await using var server = await TicketsServer.StartAsync(["--port", "0", "--groups", "P-384:ffdhe2048"]);
        var run = await SClientAsync(server.Port, "-groups", "X25519:ffdhe2048:P-384");
        Assert.True(run.ExitCode == 0, run.Describe());
        Assert.Equal(2, run.StandardOutput.Split('\n').Count(line => line.StartsWith("<<< TLS 1.3, Handshake", StringComparison.Ordinal) && line.TrimEnd().EndsWith("ServerHello", StringComparison.Ordinal)));
        Assert.Contains("Server Temp Key: ECDH, secp384r1, 384 bits", run.StandardOutput, StringComparison.Ordinal);
        Assert.Equal("secp384r1", (await server.NextConnectionAsync()).Group);

        // A client with no group in common is refused, as OpenSSL refuses it.
        var refused = await SClientAsync(server.Port, "-groups", "X25519:X448");
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("handshake failure", refused.StandardOutput + refused.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gnutls_cli_completes_a_handshake_in_each_group_it_has()
    {
        await using var server = await TicketsServer.StartAsync(["--port", "0"]);
        foreach (var (priority, logged) in new[]
        {
            ("SECP521R1", "secp521r1"), ("X448", "x448"), ("FFDHE2048", "ffdhe2048"), ("FFDHE3072", "ffdhe3072"),
            ("FFDHE4096", "ffdhe4096"), ("FFDHE6144", "ffdhe6144"), ("FFDHE8192", "ffdhe8192"),
        })
        {
            var run = await ExternalProgram.RunAsync(
                "gnutls-cli",
                ["--insecure", "-p", server.Port.ToString(CultureInfo.InvariantCulture), "--priority", $"NORMAL:-VERS-ALL:+VERS-TLS1.3:-GROUP-ALL:+GROUP-{priority}", "127.0.0.1"],
                "ping\n",
                TimeSpan.FromSeconds(20));
            Assert.True(run.ExitCode == 0, run.Describe());
            Assert.Contains("Handshake was completed", run.StandardOutput, StringComparison.Ordinal);
            Assert.Contains($"-({(priority.StartsWith("FFDHE", StringComparison.Ordinal) ? "DHE" : "ECDHE")}-{priority})-", run.StandardOutput, StringComparison.Ordinal);
            Assert.Equal(logged, (await server.NextConnectionAsync()).Group);
        }
    }

    [Fact]
    public async Task Node_completes_a_handshake_in_each_group_it_has()
    {
        await using var server = await TicketsServer.StartAsync(["--port", "0"]);
        foreach (var (curve, logged, type, size) in new[]
        {
            ("P-521", "secp521r1", "ECDH", 521), ("X448", "x448", "ECDH", 448), ("ffdhe2048", "ffdhe2048", "DH", 2048),
            ("ffdhe4096", "ffdhe4096", "DH", 4096), ("ffdhe8192", "ffdhe8192", "DH", 8192),
        })
        {
            var result = await NodeHandshake.ConnectAsync(server.Port, groups: curve);
            Assert.Equal((type, size), (result.KeyType, result.KeySize));
            Assert.Equal(logged, (await server.NextConnectionAsync()).Group);
        }
    }
}
