namespace Tickets.Tests.Interop.PostHandshake;

/// <summary>
/// Post-handshake authentication against gnutls-cli --post-handshake-auth, which answers a CertificateRequest after
/// the handshake on its own with the --x509certfile/--x509keyfile identity; tickets are counted from its "-d 4" log.
/// </summary>
public sealed class GnuTlsPostHandshakeAuthTests
{
    [Theory]
    [InlineData(null)]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    public async Task Authentication_issues_the_count_again(int? count)
    {
        await using var server = await PhaServer.StartAsync(PhaServer.Count(count));
        await using var client = InteractiveClient.GnuTls(server.Port, postHandshakeAuth: true, PhaServer.TrustedClient);
        var expected = count ?? 2;

        var connection = await server.NextConnectionAsync();
        Assert.Equal(expected, connection.Tickets);
        await client.ExpectTicketsAsync(expected, "after the handshake");

        var authentication = await PhaServer.RequestCertificateAsync(server, connection.Id);
        Assert.Equal(ClientCertificateFiles.ClientSubject, authentication.Subject);
        Assert.True(authentication.Verified, authentication.Line);
        Assert.Equal(expected, authentication.Tickets);
        await client.ExpectCertificateRequestsAsync(1);
        await client.ExpectTicketsAsync(2 * expected, "after the authentication");
        await client.CloseAsync();
    }

    [Fact]
    public async Task A_second_authentication_issues_again_with_the_count_set_in_between()
    {
        await using var server = await PhaServer.StartAsync();
        await using var client = InteractiveClient.GnuTls(server.Port, postHandshakeAuth: true, PhaServer.TrustedClient);
        var connection = await server.NextConnectionAsync();
        await client.ExpectTicketsAsync(2, "after the handshake");

        Assert.Equal(2, (await PhaServer.RequestCertificateAsync(server, connection.Id)).Tickets);
        await client.ExpectTicketsAsync(4, "after the first authentication");
        await PhaServer.CommandAsync(server, "n 1");
        Assert.Equal(1, (await PhaServer.RequestCertificateAsync(server, connection.Id)).Tickets);
        await client.ExpectCertificateRequestsAsync(2);
        await client.ExpectTicketsAsync(5, "after the second authentication");
        await client.CloseAsync();
    }

    [Fact]
    public async Task Without_post_handshake_auth_no_request_is_sent()
    {
        await using var server = await PhaServer.StartAsync();
        await using var client = InteractiveClient.GnuTls(server.Port, postHandshakeAuth: false, PhaServer.TrustedClient);
        await server.NextConnectionAsync();
        await client.ExpectTicketsAsync(2, "after the handshake");

        Assert.EndsWith("the client did not offer post_handshake_auth; no CertificateRequest sent", await PhaServer.CommandAsync(server, "c"), StringComparison.Ordinal);
        await client.SendLineAsync("ping");
        await client.ExpectOutputLineAsync("ping");
        Assert.Equal(0, client.CertificateRequests);
        await client.CloseAsync();
    }

    [Fact]
    public async Task Extra_tickets_arrive_on_demand()
    {
        await using var server = await PhaServer.StartAsync();
        await using var client = InteractiveClient.GnuTls(server.Port, postHandshakeAuth: false, identity: null);
        var connection = await server.NextConnectionAsync();
        await client.ExpectTicketsAsync(2, "after the handshake");
        Assert.Equal($"tickets: t 3: conn {connection.Id} sent 3 extra tickets", await PhaServer.CommandAsync(server, "t 3"));
        await client.ExpectTicketsAsync(5, "after t 3");
        await client.CloseAsync();
    }
}
