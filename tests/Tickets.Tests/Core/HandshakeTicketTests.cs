using Tickets.Core.Model;
using Tickets.Core.Policy;

namespace Tickets.Tests.Core;

/// <summary>Rule 3: the table of counts {default, 0, 1, 3, 10} × {full, resumed}, as measured on OpenSSL 3.0.19.</summary>
[Trait("Category", TestCategory.Unit)]
public class HandshakeTicketTests
{
    [Theory]
    [InlineData(null, false, 2, DecisionReason.FullHandshakeCount)]
    [InlineData(0, false, 0, DecisionReason.CountZero)]
    [InlineData(1, false, 1, DecisionReason.FullHandshakeCount)]
    [InlineData(3, false, 3, DecisionReason.FullHandshakeCount)]
    [InlineData(10, false, 10, DecisionReason.FullHandshakeCount)]
    [InlineData(null, true, 1, DecisionReason.ResumedAtMostOne)]
    [InlineData(0, true, 0, DecisionReason.CountZero)]
    [InlineData(1, true, 1, DecisionReason.ResumedAtMostOne)]
    [InlineData(3, true, 1, DecisionReason.ResumedAtMostOne)]
    [InlineData(10, true, 1, DecisionReason.ResumedAtMostOne)]
    public void Tickets_after_the_handshake_follow_the_count_table(int? count, bool resumed, int expected, DecisionReason reason)
    {
        var context = Decisions.ContextWith(count);

        var decision = TicketPolicy.Decide(context, Connection.Create(context), resumed ? Decisions.Resumed : Decisions.Full).Succeeds();

        Assert.Equal(expected, decision.Count);
        Assert.Equal(reason, decision.Reason);
        Assert.Equal(expected, decision.Next.SentTickets);
        Assert.Equal(resumed, decision.Next.Resumed);
        Assert.True(decision.Next.HandshakeComplete);
    }

    [Fact]
    public void Connection_count_overrides_the_context_count()
    {
        var context = Context.Default;
        var connection = Connection.Create(context).SetNumTickets(5).Succeeds();

        Assert.Equal(5, TicketPolicy.Decide(context, connection, Decisions.Full).Succeeds().Count);
    }

    [Fact]
    public void Tickets_carry_the_identity_from_the_handshake()
    {
        var alice = Decisions.Peer("CN=alice");
        var decision = TicketPolicy.Decide(Context.Default, new Connection(), new HandshakeOutcome.FullHandshake(true, alice)).Succeeds();

        Assert.All(decision.Tickets, ticket => Assert.Equal(alice, ticket.Peer));
        Assert.Equal(alice, decision.Next.Peer);
    }

    [Fact]
    public void Resumed_tickets_carry_the_restored_identity()
    {
        var bob = Decisions.Peer("CN=bob");
        var decision = TicketPolicy.Decide(Context.Default, new Connection(), new HandshakeOutcome.Resumption(true, bob)).Succeeds();

        Assert.Equal(bob, Assert.Single(decision.Tickets).Peer);
    }

    [Theory]
    [InlineData(TicketMode.Stateless)]
    [InlineData(TicketMode.Stateful)]
    public void Stateful_mode_issues_the_same_counts(TicketMode mode)
    {
        var context = Context.Default.SetNumTickets(3).Succeeds().WithTicketMode(mode);

        var counts = Decisions.Run(context, Decisions.Full, Decisions.EmptyAuthentication, Decisions.Extra(2)).Select(d => d.Count);

        Assert.Equal(new[] { 3, 3, 2 }, counts);
    }
}
