using System.Globalization;

namespace Tickets.Tests.Interop.PostHandshake;

/// <summary>
/// Client certificates of every key kind (openssl-made, chained to the --ca given to the server), sent by s_client
/// -cert/-key: in the handshake with --Verify, and after it through post-handshake authentication. The server's log
/// says whose certificate it verified; a CertificateVerify that did not verify would have ended the handshake.
/// </summary>
[Trait("Category", TestCategory.Interop)]
public sealed class ClientKeyTypeTests
{
    public static TheoryData<string> Kinds => new(KeyTypeFiles.Kinds);

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_client_certificate_of_each_kind_verifies_in_the_handshake(string kind)
    {
        var files = await KeyTypeFiles.InstanceAsync();
        var (chain, key) = await files.LeafAsync(kind);
        await using var server = await TicketsServer.StartAsync(["--port", "0", "--Verify", "--ca", files.CaPem]);

        var run = await ExternalProgram.RunAsync(
            "openssl",
            ["s_client", "-connect", $"127.0.0.1:{server.Port.ToString(CultureInfo.InvariantCulture)}", "-servername", "localhost", "-tls1_3",
                "-cert", chain, "-key", key],
            "ping\n",
            TimeSpan.FromSeconds(20));

        Assert.True(run.ExitCode == 0, run.Describe());
        var line = await server.NextConnectionAsync();
        Assert.Equal(
            $"conn {line.Id} client certificate subject=\"CN=localhost {kind}\" verified=yes result=\"ok\"",
            await server.NextLineAsync(candidate => candidate.StartsWith($"conn {line.Id} client ", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("ed25519")]
    [InlineData("ed448")]
    [InlineData("rsa-pss")]
    [InlineData("p521")]
    public async Task A_client_certificate_of_each_new_kind_verifies_after_the_handshake(string kind)
    {
        var files = await KeyTypeFiles.InstanceAsync();
        var (chain, key) = await files.LeafAsync(kind);
        await using var server = await TicketsServer.StartAsync(["--port", "0", "--ca", files.CaPem]);
        await using var client = InteractiveClient.OpenSsl(server.Port, postHandshakeAuth: true, new InteractiveClient.Identity(chain, key));
        var connection = await server.NextConnectionAsync();
        await client.ExpectTicketsAsync(2, "after the handshake");

        var authentication = await PhaServer.RequestCertificateAsync(server, connection.Id);

        Assert.Equal($"CN=localhost {kind}", authentication.Subject);
        Assert.True(authentication.Verified, authentication.Line);
        await client.ExpectTicketsAsync(4, "after the authentication");
        await client.CloseAsync();
    }
}
