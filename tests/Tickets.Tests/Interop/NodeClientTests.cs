using Tickets.Tests.Interop.Clients;

namespace Tickets.Tests.Interop;

/// <summary>Node 20 tls: one 'session' event per ticket, isSessionReused() for resumption, three links deep.</summary>
[Trait("Category", TestCategory.Interop)]
public sealed class NodeClientTests
{
    [Theory]
    [MemberData(nameof(InteropScenarios.All), MemberType = typeof(InteropScenarios))]
    public async Task Full_handshake_gets_the_count_and_each_resumption_one_ticket(ServerKind kind, int? count)
    {
        await using var server = await TlsServer.StartAsync(kind, count);

        var runs = await NodeClient.ChainAsync(server.Port, connections: 3);

        var observed = runs.Select(run => run.Connection).ToArray();
        Assert.Equal(TicketExpectation.Chain(count, 3), observed);
        // Every later connection offered something (a ticket, or with count 0 a ticketless session) and still,
        // with count 0, nothing resumed.
        Assert.All(runs.Skip(1), run => Assert.True(run.Offered));
        await InteropScenarios.AssertServerAgreesAsync(server, observed, runs.Select(run => run.Page).ToArray());
    }
}
