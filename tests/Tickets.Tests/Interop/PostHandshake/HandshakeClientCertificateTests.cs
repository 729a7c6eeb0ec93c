using System.Globalization;

namespace Tickets.Tests.Interop.PostHandshake;

/// <summary>
/// --verify and --Verify: a CertificateRequest in the full handshake, answered by s_client with or without -cert; the
/// server's log line says what it concluded, and failures end the handshake with the alert RFC 8446 names.
/// </summary>
[Trait("Category", TestCategory.Interop)]
public sealed class HandshakeClientCertificateTests
{
    private static async Task<ProcessResult> ConnectAsync(int port, InteractiveClient.Identity? identity)
    {
        var arguments = new List<string>
        {
            "s_client", "-connect", $"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}", "-servername", "localhost",
            "-tls1_3", "-msg",
        };
        if (identity is not null)
        {
            arguments.AddRange(["-cert", identity.CertificatePem, "-key", identity.KeyPem]);
        }

        // The server echoes and stays open; s_client leaves once its input ends (the handshake is over by then).
        return await ExternalProgram.RunAsync("openssl", arguments, "ping\n", TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task Verify_requires_a_trusted_certificate()
    {
        await using var server = await PhaServer.StartAsync("--Verify");

        var trusted = await ConnectAsync(server.Port, PhaServer.TrustedClient);
        Assert.Contains(", CertificateRequest", trusted.StandardOutput, StringComparison.Ordinal);
        var line = await server.NextConnectionAsync();
        Assert.Equal(2, line.Tickets);
        Assert.Equal(
            $"conn {line.Id} client certificate subject=\"{ClientCertificateFiles.ClientSubject}\" verified=yes result=\"ok\"",
            await server.NextLineAsync(candidate => candidate.StartsWith($"conn {line.Id} client ", StringComparison.Ordinal)));

        await ConnectAsync(server.Port, identity: null);
        Assert.Matches(@"^conn \d+ \S+ failed alert=certificate_required: ", await server.NextLineAsync(IsFailure));

        await ConnectAsync(server.Port, PhaServer.RogueClient);
        Assert.Matches(@"^conn \d+ \S+ failed alert=unknown_ca: .*UntrustedRoot", await server.NextLineAsync(IsFailure));
    }

    [Fact]
    public async Task Lowercase_verify_asks_and_records_what_it_gets()
    {
        await using var server = await PhaServer.StartAsync("--verify");

        var rogue = await ConnectAsync(server.Port, PhaServer.RogueClient);
        Assert.Contains(", CertificateRequest", rogue.StandardOutput, StringComparison.Ordinal);
        var first = await server.NextConnectionAsync();
        Assert.Equal(2, first.Tickets);
        var recorded = await server.NextLineAsync(candidate => candidate.StartsWith($"conn {first.Id} client ", StringComparison.Ordinal));
        Assert.StartsWith($"conn {first.Id} client certificate subject=\"{ClientCertificateFiles.RogueSubject}\" verified=no result=\"UntrustedRoot", recorded, StringComparison.Ordinal);

        await ConnectAsync(server.Port, identity: null);
        var second = await server.NextConnectionAsync();
        Assert.False(second.Resumed);
        Assert.Equal(2, second.Tickets);
    }

    [Fact]
    public async Task Without_verify_no_certificate_is_requested_in_the_handshake()
    {
        await using var server = await PhaServer.StartAsync();
        var run = await ConnectAsync(server.Port, PhaServer.TrustedClient);
        Assert.DoesNotContain(", CertificateRequest", run.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(2, (await server.NextConnectionAsync()).Tickets);
    }

    private static bool IsFailure(string line) => line.StartsWith("conn ", StringComparison.Ordinal) && line.Contains(" failed ", StringComparison.Ordinal);
}
