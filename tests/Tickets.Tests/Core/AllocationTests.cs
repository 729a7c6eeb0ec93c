using LanguageExt;
using Tickets.Core.Model;
using Tickets.Core.Policy;
using static Tickets.Tests.Core.Decisions;

namespace Tickets.Tests.Core;

/// <summary>
/// The decision runs on every handshake, so it allocates nothing: the decision, the next connection and the tickets
/// are values. Counted with the runtime's per-thread allocation counter, which is exact (not a timing).
/// </summary>
[Trait("Category", TestCategory.Unit)]
public sealed class AllocationTests
{
    private const int Rounds = 1000;

    public static TheoryData<string> Scenarios => new() { "full", "resumed", "authentication", "extra", "refused", "ticket request" };

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Deciding_allocates_nothing(string scenario)
    {
        var (context, connection, outcome) = Situation(scenario);

        // The first call runs static constructors and caches lambdas, which allocate once; steady state is what a
        // server lives in.
        var expected = CountOf(TicketPolicy.Decide(context, connection, outcome));
        var before = GC.GetAllocatedBytesForCurrentThread();
        var issued = 0;
        for (var i = 0; i < Rounds; i++)
        {
            issued += CountOf(TicketPolicy.Decide(context, connection, outcome));
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        // The loop really decided something, every time the same: the count agrees with the first call's.
        Assert.Equal(Rounds * expected, issued);
        Assert.Equal(scenario is "refused" ? -1 : 1, Math.Sign(expected));
    }

    [Fact]
    public void Reading_one_ticket_allocates_nothing_and_matches_the_list()
    {
        var decision = TicketPolicy.Decide(ContextWith(5), Connection.Create(ContextWith(5)), Full).Succeeds();
        var listed = decision.Tickets;

        var before = GC.GetAllocatedBytesForCurrentThread();
        var nonces = 0UL;
        for (var i = 0; i < decision.Count; i++)
        {
            nonces += decision.Ticket(i).Nonce;
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(listed, Enumerable.Range(0, decision.Count).Select(decision.Ticket));
        Assert.Equal(0UL + 1 + 2 + 3 + 4, nonces);
        Assert.Throws<ArgumentOutOfRangeException>(() => decision.Ticket(decision.Count));
        Assert.Throws<ArgumentOutOfRangeException>(() => decision.Ticket(-1));
    }

    // The number of tickets, or -1 for a refusal.
    private static int CountOf(Fin<TicketDecision> result) => result.Match(decision => decision.Count, _ => -1);

    private static (Context Context, Connection Connection, HandshakeOutcome Outcome) Situation(string scenario)
    {
        var context = ContextWith(3);
        var fresh = Connection.Create(context);
        var established = TicketPolicy.Decide(context, fresh, Full).Succeeds().Next;
        var peer = Peer("CN=client");
        return scenario switch
        {
            "full" => (context, fresh, Full),
            "resumed" => (context, fresh, Resumed),
            "authentication" => (context, established, Authenticated(peer)),
            "extra" => (context, established, Extra(4)),
            // A refusal is a shared error value, so it allocates nothing either.
            "refused" => (context, established, Full),
            "ticket request" => (
                context with { MaxTicketRequest = 8 },
                fresh,
                new HandshakeOutcome.FullHandshake(true) { TicketRequest = new Tickets.Core.Protocol.TicketRequest(6, 1) }),
            _ => throw new ArgumentOutOfRangeException(nameof(scenario)),
        };
    }
}
