using Tickets.Tests.Interop.Clients;

namespace Tickets.Tests.Interop;

/// <summary>openssl s_client: exact ticket counts from -msg, resumption from -sess_out/-sess_in, three links deep.</summary>
[Trait("Category", TestCategory.Interop)]
public sealed class OpenSslClientTests
{
    [Theory]
    [MemberData(nameof(InteropScenarios.All), MemberType = typeof(InteropScenarios))]
    public async Task Full_handshake_gets_the_count_and_each_resumption_one_ticket(ServerKind kind, int? count)
    {
        await using var server = await TlsServer.StartAsync(kind, count);

        var runs = await OpenSslClient.ChainAsync(server.Port, connections: 3);

        var observed = runs.Select(run => run.Connection).ToArray();
        Assert.Equal(TicketExpectation.Chain(count, 3), observed);
        var ticketsExpected = (count ?? TicketExpectation.OpenSslDefault) > 0;
        // With no ticket there is nothing to save, so the later connections had nothing to offer: resumption
        // was impossible, not merely refused.
        Assert.All(runs, run => Assert.Equal(ticketsExpected, run.SavedSession));
        Assert.All(runs.Skip(1), run => Assert.Equal(ticketsExpected, run.OfferedSession));
        await InteropScenarios.AssertServerAgreesAsync(server, observed, runs.Select(run => run.Page).ToArray());
    }
}
