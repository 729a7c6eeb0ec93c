using Tickets.Tests.Interop.Clients;

namespace Tickets.Tests.Interop;

/// <summary>gnutls-cli: ticket counts from its debug log, resumption with -r (one link: gnutls-cli cannot store sessions).</summary>
[Trait("Category", TestCategory.Interop)]
public sealed class GnuTlsClientTests
{
    [Theory]
    [MemberData(nameof(InteropScenarios.All), MemberType = typeof(InteropScenarios))]
    public async Task Full_handshake_gets_the_count_and_the_resumption_one_ticket(ServerKind kind, int? count)
    {
        await using var server = await TlsServer.StartAsync(kind, count);

        var run = await GnuTlsClient.ChainAsync(server.Port);

        Assert.Equal(TicketExpectation.Chain(count, 2), run.Connections);
        if (server is TicketsServer tickets)
        {
            // Three connections reached the server: the plain one, then -r's first (which hung up after its
            // first ticket, so the client-side count of it is not meaningful) and the resumed one.
            var plain = await tickets.NextConnectionAsync();
            var first = await tickets.NextConnectionAsync();
            var resumed = await tickets.NextConnectionAsync();
            Assert.Equal(run.Connections[0], new ClientConnection(plain.Tickets, plain.Resumed));
            Assert.False(first.Resumed);
            Assert.Equal(count ?? TicketExpectation.OpenSslDefault, first.Tickets);
            Assert.Equal(run.Connections[1], new ClientConnection(resumed.Tickets, resumed.Resumed));
        }
    }
}
