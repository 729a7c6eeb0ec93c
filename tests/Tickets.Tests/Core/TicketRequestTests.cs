using LanguageExt;
using Tickets.Core.Model;
using Tickets.Core.Policy;
using Tickets.Core.Protocol;

namespace Tickets.Tests.Core;

/// <summary>RFC 9149 ticket_request layered on OpenSSL's rules, as documented on <see cref="TicketPolicy"/>.</summary>
[Trait("Category", TestCategory.Unit)]
public class TicketRequestTests
{
    private static HandshakeOutcome Full(byte newSessions, byte resumptions, bool offeredModes = true) =>
        new HandshakeOutcome.FullHandshake(offeredModes) { TicketRequest = new TicketRequest(newSessions, resumptions) };

    private static HandshakeOutcome Resumed(byte newSessions, byte resumptions, bool offeredModes = true) =>
        new HandshakeOutcome.Resumption(offeredModes, Option<PeerIdentity>.None) { TicketRequest = new TicketRequest(newSessions, resumptions) };

    [Fact]
    public void The_default_maximum_is_eight_and_a_fresh_context_has_it()
    {
        Assert.Equal(8, Context.DefaultMaxTicketRequest);
        Assert.Equal(Context.DefaultMaxTicketRequest, Context.Default.MaxTicketRequest);
        Assert.Equal(Context.Default, new Context());
    }

    [Theory]
    [InlineData(0, 5, 0)]
    [InlineData(1, 0, 1)]
    [InlineData(5, 1, 5)]
    [InlineData(8, 0, 8)]
    [InlineData(9, 0, 8)]
    [InlineData(255, 255, 8)]
    public void A_full_handshake_issues_the_new_session_count_up_to_the_maximum(byte newSessions, byte resumptions, int expected)
    {
        var decision = TicketPolicy.Decide(Context.Default, new Connection(), Full(newSessions, resumptions)).Succeeds();

        Assert.Equal(expected, decision.Count);
        Assert.Equal(DecisionReason.TicketRequestHonoured, decision.Reason);
        Assert.Equal(expected, decision.Next.SentTickets);
        Assert.Equal((ulong)expected, decision.Next.NextNonce);
    }

    [Theory]
    [InlineData(7, 0, 0)]
    [InlineData(0, 1, 1)]
    [InlineData(0, 4, 4)]
    [InlineData(3, 200, 8)]
    public void A_resumption_issues_the_resumption_count_up_to_the_maximum(byte newSessions, byte resumptions, int expected)
    {
        var decision = TicketPolicy.Decide(Context.Default, new Connection(), Resumed(newSessions, resumptions)).Succeeds();

        Assert.Equal(expected, decision.Count);
        Assert.Equal(DecisionReason.TicketRequestHonoured, decision.Reason);
        Assert.True(decision.Next.Resumed);
    }

    [Fact]
    public void A_request_can_ask_for_more_than_the_count_but_not_beyond_a_lowered_maximum()
    {
        var context = Context.Default.SetMaxTicketRequest(3).Succeeds();

        Assert.Equal(3, TicketPolicy.Decide(context, new Connection(), Full(6, 0)).Succeeds().Count);
        Assert.Equal(2, TicketPolicy.Decide(context, new Connection(), Full(2, 0)).Succeeds().Count);
        Assert.Equal(3, TicketPolicy.Decide(context, new Connection(), Resumed(0, 6)).Succeeds().Count);
    }

    [Fact]
    public void A_maximum_of_zero_gives_a_requesting_client_nothing_and_leaves_other_clients_alone()
    {
        var context = Context.Default.SetMaxTicketRequest(0).Succeeds();

        var asked = TicketPolicy.Decide(context, new Connection(), Full(4, 4)).Succeeds();
        var silent = TicketPolicy.Decide(context, new Connection(), Decisions.Full).Succeeds();

        Assert.Equal(0, asked.Count);
        Assert.Equal(DecisionReason.TicketRequestHonoured, asked.Reason);
        Assert.Equal(2, silent.Count);
        Assert.Equal(DecisionReason.FullHandshakeCount, silent.Reason);
    }

    [Fact]
    public void A_count_of_zero_wins_over_the_request()
    {
        var context = Decisions.ContextWith(0);

        var full = TicketPolicy.Decide(context, Connection.Create(context), Full(5, 5)).Succeeds();
        var resumed = TicketPolicy.Decide(context, Connection.Create(context), Resumed(5, 5)).Succeeds();

        Assert.Equal((0, DecisionReason.CountZero), (full.Count, full.Reason));
        Assert.Equal((0, DecisionReason.CountZero), (resumed.Count, resumed.Reason));
    }

    [Fact]
    public void Strict_psk_modes_win_over_the_request()
    {
        var context = Context.Default.WithStrictPskModes(true);

        var decision = TicketPolicy.Decide(context, new Connection(), Full(5, 5, offeredModes: false)).Succeeds();

        Assert.Equal((0, DecisionReason.StrictPskModesNone), (decision.Count, decision.Reason));
        Assert.Equal(5, TicketPolicy.Decide(context, new Connection(), Full(5, 5, offeredModes: true)).Succeeds().Count);
    }

    [Fact]
    public void Post_handshake_authentication_issues_the_requested_number_again_with_the_new_identity()
    {
        var alice = Decisions.Peer("CN=alice");

        var decisions = Decisions.Run(Context.Default, Full(3, 1), Decisions.Authenticated(alice), Decisions.EmptyAuthentication);

        Assert.Equal([3, 3, 3], decisions.Select(d => d.Count));
        Assert.All(decisions, d => Assert.Equal(DecisionReason.TicketRequestHonoured, d.Reason));
        Assert.All(decisions[1].Tickets, ticket => Assert.Equal(alice, ticket.Peer));
        Assert.Equal([0UL, 1, 2, 3, 4, 5, 6, 7, 8], decisions.SelectMany(d => d.Tickets).Select(t => t.Nonce));
    }

    [Fact]
    public void Post_handshake_authentication_after_a_requested_resumption_uses_the_resumption_count()
    {
        var decisions = Decisions.Run(Context.Default, Resumed(6, 2), Decisions.EmptyAuthentication);

        Assert.Equal([2, 2], decisions.Select(d => d.Count));
    }

    [Fact]
    public void Post_handshake_authentication_reads_the_maximum_and_the_count_in_force_when_it_completes()
    {
        var first = TicketPolicy.Decide(Context.Default, new Connection(), Full(6, 0)).Succeeds();
        var lowered = Context.Default.SetMaxTicketRequest(4).Succeeds();

        var afterLowering = TicketPolicy.Decide(lowered, first.Next, Decisions.EmptyAuthentication).Succeeds();
        var afterZero = TicketPolicy.Decide(lowered, first.Next.SetNumTickets(0).Succeeds(), Decisions.EmptyAuthentication).Succeeds();

        Assert.Equal(6, first.Count);
        Assert.Equal(4, afterLowering.Count);
        Assert.Equal((0, DecisionReason.CountZero), (afterZero.Count, afterZero.Reason));
    }

    [Fact]
    public void Extra_tickets_ignore_the_request()
    {
        var decisions = Decisions.Run(Context.Default, Full(1, 0), Decisions.Extra(5));

        Assert.Equal(5, decisions[1].Count);
        Assert.Equal(DecisionReason.ExtraTicketsRequested, decisions[1].Reason);
        Assert.Equal(6, decisions[1].Next.SentTickets);
    }

    [Fact]
    public void The_connection_remembers_the_request()
    {
        var request = new TicketRequest(2, 1);
        var outcome = new HandshakeOutcome.FullHandshake(true) { TicketRequest = request };

        var next = TicketPolicy.Decide(Context.Default, new Connection(), outcome).Succeeds().Next;

        Assert.Equal(Option<TicketRequest>.Some(request), next.TicketRequest);
        Assert.True(new Connection().TicketRequest.IsNone);
    }

    [Fact]
    public void Without_the_extension_the_openssl_counts_stand_whatever_the_maximum()
    {
        var context = Decisions.ContextWith(10).SetMaxTicketRequest(1).Succeeds();

        Assert.Equal(10, TicketPolicy.Decide(context, Connection.Create(context), Decisions.Full).Succeeds().Count);
        Assert.Equal(1, TicketPolicy.Decide(context, Connection.Create(context), Decisions.Resumed).Succeeds().Count);
    }

    [Fact]
    public void A_negative_maximum_is_refused_and_the_context_is_unchanged()
    {
        var error = Context.Default.SetMaxTicketRequest(-1).Fails();

        Assert.Equal(TicketErrors.NegativeTicketRequestLimit, error);
        Assert.Equal(Context.DefaultMaxTicketRequest, Context.Default.MaxTicketRequest);
    }

    [Fact]
    public void A_negative_maximum_forced_with_with_is_refused_only_when_a_request_must_be_honoured()
    {
        var forced = Context.Default with { MaxTicketRequest = -3 };

        Assert.Equal(TicketErrors.NegativeTicketRequestLimit, TicketPolicy.Decide(forced, new Connection(), Full(1, 1)).Fails());
        Assert.Equal(2, TicketPolicy.Decide(forced, new Connection(), Decisions.Full).Succeeds().Count);

        var requested = TicketPolicy.Decide(Context.Default, new Connection(), Full(1, 1)).Succeeds().Next;
        Assert.Equal(TicketErrors.NegativeTicketRequestLimit, TicketPolicy.Decide(forced, requested, Decisions.EmptyAuthentication).Fails());
    }

    [Fact]
    public void The_expected_count_for_encrypted_extensions_matches_the_decision()
    {
        var outcome = Resumed(0, 3);

        var expected = TicketPolicy.ExpectedTicketCount(Context.Default, new Connection(), outcome).Succeeds();

        Assert.Equal(3, expected);
        Assert.Equal(expected, TicketPolicy.Decide(Context.Default, new Connection(), outcome).Succeeds().Count);
        Assert.Equal(TicketErrors.HandshakeAlreadyComplete,
            TicketPolicy.ExpectedTicketCount(Context.Default, new Connection { HandshakeComplete = true }, outcome).Fails());
    }

    [Fact]
    public void The_reason_has_its_own_sentence()
    {
        Assert.Contains("ticket_request", DecisionReason.TicketRequestHonoured.Describe(), StringComparison.Ordinal);
    }
}
