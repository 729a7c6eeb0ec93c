using LanguageExt;
using Tickets.Core.Model;
using Tickets.Core.Policy;

namespace Tickets.Tests.Core;

/// <summary>Rules 4, 5 and 6: tickets after post-handshake authentication and on request.</summary>
[Trait("Category", TestCategory.Unit)]
public class PostHandshakeTicketTests
{
    [Theory]
    [InlineData(null, false, 2, DecisionReason.PostHandshakeAuthRestart)]
    [InlineData(0, false, 0, DecisionReason.CountZero)]
    [InlineData(1, false, 1, DecisionReason.PostHandshakeAuthRestart)]
    [InlineData(3, false, 3, DecisionReason.PostHandshakeAuthRestart)]
    [InlineData(10, false, 10, DecisionReason.PostHandshakeAuthRestart)]
    [InlineData(null, true, 1, DecisionReason.PostHandshakeAuthResumedAtMostOne)]
    [InlineData(0, true, 0, DecisionReason.CountZero)]
    [InlineData(3, true, 1, DecisionReason.PostHandshakeAuthResumedAtMostOne)]
    [InlineData(10, true, 1, DecisionReason.PostHandshakeAuthResumedAtMostOne)]
    public void Authentication_restarts_the_count_and_keeps_the_resumption_cap(int? count, bool resumed, int expected, DecisionReason reason)
    {
        var context = Decisions.ContextWith(count);
        var decisions = Decisions.Run(context, resumed ? Decisions.Resumed : Decisions.Full, Decisions.EmptyAuthentication);

        var authentication = decisions[1];
        Assert.Equal(expected, authentication.Count);
        Assert.Equal(reason, authentication.Reason);
        Assert.Equal(expected, authentication.Next.SentTickets);
        Assert.Equal(1, authentication.Next.PostHandshakeAuthentications);
    }

    [Fact]
    public void A_second_authentication_issues_again()
    {
        var context = Context.Default.SetNumTickets(3).Succeeds();

        var decisions = Decisions.Run(context, Decisions.Full, Decisions.EmptyAuthentication, Decisions.EmptyAuthentication);

        Assert.Equal(new[] { 3, 3, 3 }, decisions.Select(d => d.Count));
        Assert.Equal(2, decisions[2].Next.PostHandshakeAuthentications);
    }

    [Fact]
    public void The_count_is_read_when_the_authentication_completes()
    {
        var context = Context.Default;
        var afterHandshake = TicketPolicy.Decide(context, Connection.Create(context), Decisions.Full).Succeeds().Next;
        var raised = afterHandshake.SetNumTickets(5).Succeeds();

        var authentication = TicketPolicy.Decide(context, raised, Decisions.EmptyAuthentication).Succeeds();

        Assert.Equal(5, authentication.Count);
        Assert.Equal(5, authentication.Next.SentTickets);
    }

    [Fact]
    public void Raising_the_count_on_a_resumed_connection_still_issues_one()
    {
        var context = Context.Default;
        var afterResumption = TicketPolicy.Decide(context, Connection.Create(context), Decisions.Resumed).Succeeds().Next;
        var raised = afterResumption.SetNumTickets(8).Succeeds();

        Assert.Equal(1, TicketPolicy.Decide(context, raised, Decisions.EmptyAuthentication).Succeeds().Count);
    }

    [Fact]
    public void Tickets_after_authentication_carry_the_new_identity_and_an_empty_certificate_clears_it()
    {
        var alice = Decisions.Peer("CN=alice");
        var decisions = Decisions.Run(Context.Default, Decisions.Full, Decisions.Authenticated(alice), Decisions.EmptyAuthentication);

        Assert.All(decisions[0].Tickets, ticket => Assert.True(ticket.Peer.IsNone));
        Assert.All(decisions[1].Tickets, ticket => Assert.Equal(alice, ticket.Peer));
        Assert.All(decisions[2].Tickets, ticket => Assert.True(ticket.Peer.IsNone));
        Assert.Equal(2, decisions[2].Count);
    }

    [Fact]
    public void Authentication_before_the_handshake_is_an_error()
    {
        var error = TicketPolicy.Decide(Context.Default, new Connection(), Decisions.EmptyAuthentication).Fails();

        Assert.Equal(TicketErrors.PostHandshakeAuthBeforeHandshake, error);
    }

    [Theory]
    [InlineData(0, false, 1)]
    [InlineData(0, true, 4)]
    [InlineData(2, false, 3)]
    [InlineData(10, true, 5)]
    [InlineData(3, true, 0)]
    public void Extra_tickets_ignore_the_count_and_the_resumption_cap(int count, bool resumed, int extra)
    {
        var context = Context.Default.SetNumTickets(count).Succeeds();
        var decisions = Decisions.Run(context, resumed ? Decisions.Resumed : Decisions.Full, Decisions.Extra(extra));

        var extraDecision = decisions[1];
        Assert.Equal(extra, extraDecision.Count);
        Assert.Equal(DecisionReason.ExtraTicketsRequested, extraDecision.Reason);
        Assert.Equal(decisions[0].Count + extra, extraDecision.Next.SentTickets);
        Assert.Equal(extra, extraDecision.Next.ExtraTicketsIssued);
    }

    [Fact]
    public void Extra_tickets_before_the_handshake_are_an_error()
    {
        Assert.Equal(TicketErrors.ExtraTicketsBeforeHandshake, TicketPolicy.Decide(Context.Default, new Connection(), Decisions.Extra(1)).Fails());
    }

    [Fact]
    public void A_negative_number_of_extra_tickets_is_an_error()
    {
        var afterHandshake = TicketPolicy.Decide(Context.Default, new Connection(), Decisions.Full).Succeeds().Next;

        Assert.Equal(TicketErrors.NegativeExtraTicketCount, TicketPolicy.Decide(Context.Default, afterHandshake, Decisions.Extra(-1)).Fails());
    }
}
