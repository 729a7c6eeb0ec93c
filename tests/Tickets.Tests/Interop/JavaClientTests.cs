using Tickets.Tests.Interop.Clients;

namespace Tickets.Tests.Interop;

/// <summary>Java 17 JSSE: tickets and resumption read from its handshake debug log, three connections on one SSLContext.</summary>
[Trait("Category", TestCategory.Interop)]
public sealed class JavaClientTests
{
    [Theory]
    [MemberData(nameof(InteropScenarios.All), MemberType = typeof(InteropScenarios))]
    public async Task Full_handshake_gets_the_count_and_each_resumption_one_ticket(ServerKind kind, int? count)
    {
        await using var server = await TlsServer.StartAsync(kind, count);

        var run = await JavaClient.ChainAsync(server.Port, connections: 3);

        Assert.Equal(TicketExpectation.Chain(count, 3), run.Connections);
        if (server is TicketsServer tickets)
        {
            foreach (var connection in run.Connections)
            {
                var logged = await tickets.NextConnectionAsync();
                Assert.Equal(connection, new ClientConnection(logged.Tickets, logged.Resumed));
            }
        }
    }
}
