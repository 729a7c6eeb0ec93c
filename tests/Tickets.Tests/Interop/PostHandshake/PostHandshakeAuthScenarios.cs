namespace Tickets.Tests.Interop.PostHandshake;

/// <summary>
/// The post-handshake authentication scenarios every client that implements it must pass against `tickets serve`,
/// driven through its standard-input commands (c, n, t). Each derived class names one real client; xunit runs these
/// tests once per derived class. OpenSSL 3.0 semantics throughout: every completed authentication issues the
/// connection's count afresh, the count in force at that moment.
/// </summary>
public abstract class PostHandshakeAuthScenarios
{
    /// <summary>Starts the client against <paramref name="port"/>, offering post_handshake_auth or not.</summary>
    protected abstract InteractiveClient Connect(int port, bool postHandshakeAuth, InteractiveClient.Identity? identity);

    [Theory]
    [InlineData(null)]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Authentication_issues_the_count_again(int? count)
    {
        await using var server = await PhaServer.StartAsync(PhaServer.Count(count));
        await using var client = Connect(server.Port, postHandshakeAuth: true, PhaServer.TrustedClient);
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

        // Application data still flows both ways afterwards.
        await client.SendLineAsync("still talking");
        await client.ExpectOutputLineAsync("still talking");
        await client.CloseAsync();
    }

    [Fact]
    public async Task A_second_authentication_issues_again_with_the_count_set_in_between()
    {
        await using var server = await PhaServer.StartAsync();
        await using var client = Connect(server.Port, postHandshakeAuth: true, PhaServer.TrustedClient);
        var connection = await server.NextConnectionAsync();
        await client.ExpectTicketsAsync(2, "after the handshake");

        Assert.Equal(2, (await PhaServer.RequestCertificateAsync(server, connection.Id)).Tickets);
        await client.ExpectTicketsAsync(4, "after the first authentication");
        Assert.Equal(2, (await PhaServer.RequestCertificateAsync(server, connection.Id)).Tickets);
        await client.ExpectTicketsAsync(6, "after the second authentication");
        await PhaServer.CommandAsync(server, "n 1");
        Assert.Equal(1, (await PhaServer.RequestCertificateAsync(server, connection.Id)).Tickets);
        await client.ExpectCertificateRequestsAsync(3);
        await client.ExpectTicketsAsync(7, "after the third authentication, with the count set to 1 before it");
        await client.CloseAsync();
    }

    [Fact]
    public async Task A_client_without_post_handshake_auth_gets_no_request()
    {
        await using var server = await PhaServer.StartAsync();
        await using var client = Connect(server.Port, postHandshakeAuth: false, PhaServer.TrustedClient);
        var connection = await server.NextConnectionAsync();
        await client.ExpectTicketsAsync(2, "after the handshake");

        var refusal = await PhaServer.CommandAsync(server, "c");
        Assert.Equal($"tickets: c: error: conn {connection.Id}: the client did not offer post_handshake_auth; no CertificateRequest sent", refusal);

        // An echo round trip after the refusal: had a request been sent, the client would have reported it before this.
        await client.SendLineAsync("after the refusal");
        await client.ExpectOutputLineAsync("after the refusal");
        Assert.Equal(0, client.CertificateRequests);
        Assert.Equal(2, client.Tickets);
        await client.CloseAsync();
    }

    [Fact]
    public async Task Extra_tickets_arrive_on_demand()
    {
        await using var server = await PhaServer.StartAsync();
        await using var client = Connect(server.Port, postHandshakeAuth: false, identity: null);
        var connection = await server.NextConnectionAsync();
        await client.ExpectTicketsAsync(2, "after the handshake");

        Assert.Equal($"tickets: t 3: conn {connection.Id} sent 3 extra tickets", await PhaServer.CommandAsync(server, "t 3"));
        await client.ExpectTicketsAsync(5, "after t 3");
        Assert.Equal($"tickets: t: conn {connection.Id} sent 1 extra tickets", await PhaServer.CommandAsync(server, "t"));
        await client.ExpectTicketsAsync(6, "after t");

        // Extras ignore a count of zero, as SSL_new_session_ticket does.
        await PhaServer.CommandAsync(server, "n 0");
        Assert.Equal($"tickets: t 2: conn {connection.Id} sent 2 extra tickets", await PhaServer.CommandAsync(server, "t 2"));
        await client.ExpectTicketsAsync(8, "after n 0, t 2");
        await client.CloseAsync();
    }
}
