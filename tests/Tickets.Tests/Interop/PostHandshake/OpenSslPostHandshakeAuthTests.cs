namespace Tickets.Tests.Interop.PostHandshake;

/// <summary>
/// Post-handshake authentication against openssl s_client -enable_pha, driven through `tickets serve`'s standard-input
/// commands, counting the NewSessionTickets s_client reports before and after each request (OpenSSL 3.0 semantics:
/// every completed authentication issues the connection's count afresh, at most one on a resumed connection). The
/// scenarios shared with other clients are in <see cref="PostHandshakeAuthScenarios"/>; these need s_client's options.
/// </summary>
[Trait("Category", TestCategory.Interop)]
public sealed class OpenSslPostHandshakeAuthTests : PostHandshakeAuthScenarios
{
    protected override InteractiveClient Connect(int port, bool postHandshakeAuth, InteractiveClient.Identity? identity) =>
        InteractiveClient.OpenSsl(port, postHandshakeAuth, identity);

    [Fact]
    public async Task A_resumed_connection_issues_one_after_authentication_even_when_the_count_was_raised()
    {
        await using var server = await PhaServer.StartAsync();
        var session = Path.Combine(InteropPaths.NewDirectory("pha-resume"), "session.pem");
        await using (var first = InteractiveClient.OpenSsl(server.Port, postHandshakeAuth: true, PhaServer.TrustedClient, sessionOut: session))
        {
            await server.NextConnectionAsync();
            await first.ExpectTicketsAsync(2, "after the first handshake");
            await first.CloseAsync();
        }

        await using var resumed = InteractiveClient.OpenSsl(server.Port, postHandshakeAuth: true, PhaServer.TrustedClient, sessionIn: session);
        var connection = await server.NextConnectionAsync();
        Assert.True(connection.Resumed);
        Assert.Equal(1, connection.Tickets);
        await resumed.ExpectTicketsAsync(1, "after the resumption");
        Assert.True(resumed.Resumed, resumed.Output);

        Assert.Contains("num-tickets 2 -> 5", await PhaServer.CommandAsync(server, "n 5"), StringComparison.Ordinal);
        var authentication = await PhaServer.RequestCertificateAsync(server, connection.Id);
        Assert.Equal(1, authentication.Tickets);
        await resumed.ExpectTicketsAsync(2, "after authenticating on the resumed connection");
        await resumed.CloseAsync();
    }

    [Theory]
    [InlineData(2, 1)]
    [InlineData(2, 0)]
    [InlineData(0, 3)]
    public async Task The_count_set_just_before_the_request_is_the_one_used(int atStart, int beforeRequest)
    {
        await using var server = await PhaServer.StartAsync(PhaServer.Count(atStart));
        await using var client = InteractiveClient.OpenSsl(server.Port, postHandshakeAuth: true, PhaServer.TrustedClient);
        var connection = await server.NextConnectionAsync();
        Assert.Equal(atStart, connection.Tickets);
        await client.ExpectTicketsAsync(atStart, "after the handshake");

        var acknowledged = await PhaServer.CommandAsync(server, $"n {beforeRequest}");
        Assert.Equal($"tickets: n {beforeRequest}: conn {connection.Id} num-tickets {atStart} -> {beforeRequest}", acknowledged);
        var authentication = await PhaServer.RequestCertificateAsync(server, connection.Id);
        Assert.Equal(beforeRequest, authentication.Tickets);
        await client.ExpectCertificateRequestsAsync(1);
        await client.ExpectTicketsAsync(atStart + beforeRequest, "after the authentication");
        await client.CloseAsync();
    }

    [Fact]
    public async Task The_context_count_changed_between_connections_reaches_only_later_ones()
    {
        await using var server = await PhaServer.StartAsync();
        await using var first = InteractiveClient.OpenSsl(server.Port, postHandshakeAuth: true, PhaServer.TrustedClient);
        var firstConnection = await server.NextConnectionAsync();
        await first.ExpectTicketsAsync(2, "first connection, context default");

        Assert.Equal("tickets: N 3: context num-tickets 2 -> 3 (connections accepted from now on)", await PhaServer.CommandAsync(server, "N 3"));

        // The open connection keeps the count it copied when it was created (SSL_new).
        Assert.Equal(2, (await PhaServer.RequestCertificateAsync(server, firstConnection.Id)).Tickets);
        await first.ExpectTicketsAsync(4, "first connection after authentication");
        await first.CloseAsync();

        await using var second = InteractiveClient.OpenSsl(server.Port, postHandshakeAuth: true, PhaServer.TrustedClient);
        var secondConnection = await server.NextConnectionAsync();
        Assert.Equal(3, secondConnection.Tickets);
        await second.ExpectTicketsAsync(3, "second connection, after N 3");
        Assert.Equal(3, (await PhaServer.RequestCertificateAsync(server, secondConnection.Id)).Tickets);
        await second.ExpectTicketsAsync(6, "second connection after authentication");
        await second.CloseAsync();
    }

    [Fact]
    public async Task A_client_that_declines_still_completes_the_authentication()
    {
        await using var server = await PhaServer.StartAsync();
        await using var client = InteractiveClient.OpenSsl(server.Port, postHandshakeAuth: true, identity: null);
        var connection = await server.NextConnectionAsync();
        await client.ExpectTicketsAsync(2, "after the handshake");

        var authentication = await PhaServer.RequestCertificateAsync(server, connection.Id);
        Assert.True(authentication.Declined, authentication.Line);
        Assert.Equal(2, authentication.Tickets);
        await client.ExpectTicketsAsync(4, "after the empty Certificate");
        await client.CloseAsync();
    }

    [Fact]
    public async Task Resuming_with_a_ticket_from_after_authentication_restores_the_identity()
    {
        await using var server = await PhaServer.StartAsync();
        var directory = InteropPaths.NewDirectory("pha-identity");
        var beforeAuthentication = Path.Combine(directory, "before.pem");
        var afterAuthentication = Path.Combine(directory, "after.pem");

        // -sess_out keeps the newest ticket, so each file holds a ticket from its side of the authentication.
        await using (var plain = InteractiveClient.OpenSsl(server.Port, postHandshakeAuth: true, PhaServer.TrustedClient, sessionOut: beforeAuthentication))
        {
            await server.NextConnectionAsync();
            await plain.ExpectTicketsAsync(2, "without authentication");
            await plain.CloseAsync();
        }

        await using (var authenticated = InteractiveClient.OpenSsl(server.Port, postHandshakeAuth: true, PhaServer.TrustedClient, sessionOut: afterAuthentication))
        {
            var connection = await server.NextConnectionAsync();
            await authenticated.ExpectTicketsAsync(2, "after the handshake");
            await PhaServer.RequestCertificateAsync(server, connection.Id);
            await authenticated.ExpectTicketsAsync(4, "after the authentication");
            await authenticated.CloseAsync();
        }

        await using (var resumedWithoutIdentity = InteractiveClient.OpenSsl(server.Port, postHandshakeAuth: true, null, sessionIn: beforeAuthentication))
        {
            var connection = await server.NextConnectionAsync();
            Assert.True(connection.Resumed);
            await resumedWithoutIdentity.ExpectTicketsAsync(1, "resumed");
            await resumedWithoutIdentity.CloseAsync();
        }

        await using (var resumedWithIdentity = InteractiveClient.OpenSsl(server.Port, postHandshakeAuth: true, null, sessionIn: afterAuthentication))
        {
            var connection = await server.NextConnectionAsync();
            Assert.True(connection.Resumed);
            await resumedWithIdentity.ExpectTicketsAsync(1, "resumed");
            await resumedWithIdentity.CloseAsync();
        }

        // Only the connection resumed from the post-authentication ticket knows its client.
        var identityLines = server.Process.OutputLines.Where(line => line.Contains(" client restored from ticket ", StringComparison.Ordinal)).ToArray();
        var restored = Assert.Single(identityLines);
        Assert.Equal($"conn 4 client restored from ticket subject=\"{ClientCertificateFiles.ClientSubject}\" verified=yes result=\"ok\"", restored);
    }
}
