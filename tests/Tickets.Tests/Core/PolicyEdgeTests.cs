using LanguageExt;
using Tickets.Core.Model;
using Tickets.Core.Policy;

namespace Tickets.Tests.Core;

/// <summary>Rules 7, 9 and 10, and the refusals for out-of-order or malformed input.</summary>
[Trait("Category", TestCategory.Unit)]
public class PolicyEdgeTests
{
    private static readonly HandshakeOutcome FullWithoutModes = new HandshakeOutcome.FullHandshake(ClientOfferedPskModes: false);

    [Fact]
    public void Without_strict_mode_tickets_are_issued_when_the_client_sent_no_psk_modes()
    {
        var counts = Decisions.Run(Context.Default, FullWithoutModes, Decisions.EmptyAuthentication, Decisions.Extra(1)).Select(d => d.Count);

        Assert.Equal(new[] { 2, 2, 1 }, counts);
    }

    [Fact]
    public void Strict_mode_issues_nothing_at_all_when_the_client_sent_no_psk_modes()
    {
        var context = Context.Default.WithStrictPskModes(true);

        var decisions = Decisions.Run(context, FullWithoutModes, Decisions.EmptyAuthentication, Decisions.Extra(3));

        Assert.All(decisions, decision =>
        {
            Assert.Equal(0, decision.Count);
            Assert.Equal(DecisionReason.StrictPskModesNone, decision.Reason);
        });
    }

    [Fact]
    public void Strict_mode_issues_as_usual_when_the_client_sent_psk_modes()
    {
        var context = Context.Default.WithStrictPskModes(true);

        Assert.Equal(new[] { 2, 2 }, Decisions.Run(context, Decisions.Full, Decisions.EmptyAuthentication).Select(d => d.Count));
    }

    [Fact]
    public void Nonces_count_from_zero_across_the_whole_connection()
    {
        var context = Context.Default.SetNumTickets(3).Succeeds();

        var decisions = Decisions.Run(context, Decisions.Full, Decisions.Extra(2), Decisions.EmptyAuthentication, Decisions.Extra(1));
        var nonces = decisions.SelectMany(d => d.Tickets).Select(t => t.Nonce);

        Assert.Equal(new ulong[] { 0, 1, 2, 3, 4, 5, 6, 7, 8 }, nonces);
        Assert.Equal(9UL, decisions[^1].Next.NextNonce);
    }

    [Fact]
    public void An_empty_decision_does_not_advance_the_nonce()
    {
        var context = Context.Default.SetNumTickets(0).Succeeds();

        var decisions = Decisions.Run(context, Decisions.Full, Decisions.Extra(1));

        Assert.Equal(0UL, Assert.Single(decisions[1].Tickets).Nonce);
    }

    [Theory]
    [InlineData(0u, 0u)]
    [InlineData(1u, 1u)]
    [InlineData(7200u, 7200u)]
    [InlineData(604800u, 604800u)]
    [InlineData(604801u, 604800u)]
    [InlineData(uint.MaxValue, 604800u)]
    public void Lifetime_is_the_session_timeout_clamped_to_seven_days(uint timeout, uint lifetime)
    {
        var context = Context.Default.WithSessionTimeout(timeout);

        var decision = Decisions.Run(context, Decisions.Full)[0];

        Assert.Equal(lifetime, context.TicketLifetimeSeconds);
        Assert.All(decision.Tickets, ticket => Assert.Equal(lifetime, ticket.LifetimeSeconds));
    }

    [Fact]
    public void Default_lifetime_is_7200_seconds()
    {
        Assert.Equal(7200u, Assert.IsType<TicketToIssue>(Decisions.Run(Context.Default, Decisions.Full)[0].Tickets.Head).LifetimeSeconds);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_second_handshake_on_one_connection_is_an_error(bool resumedSecond)
    {
        var afterHandshake = Decisions.Run(Context.Default, Decisions.Full)[0].Next;

        var error = TicketPolicy.Decide(Context.Default, afterHandshake, resumedSecond ? Decisions.Resumed : Decisions.Full).Fails();

        Assert.Equal(TicketErrorKind.HandshakeAlreadyComplete, Assert.IsType<TicketError>(error).Kind);
    }

    [Fact]
    public void A_count_forced_negative_past_SetNumTickets_is_refused()
    {
        var corrupt = new Connection { NumTickets = -4 };

        Assert.Equal(TicketErrors.NegativeCount, TicketPolicy.Decide(Context.Default, corrupt, Decisions.Full).Fails());
    }

    [Fact]
    public void Counters_that_would_overflow_are_refused_rather_than_wrapped()
    {
        var nearlyExhausted = Decisions.Run(Context.Default, Decisions.Full)[0].Next with { NextNonce = ulong.MaxValue - 1 };

        Assert.Equal(1, TicketPolicy.Decide(Context.Default, nearlyExhausted, Decisions.Extra(1)).Succeeds().Count);
        Assert.Equal(TicketErrors.CountersExhausted, TicketPolicy.Decide(Context.Default, nearlyExhausted, Decisions.Extra(2)).Fails());
    }

    [Fact]
    public void An_outcome_outside_the_four_cases_is_refused()
    {
        var error = TicketPolicy.Decide(Context.Default, new Connection(), new RogueOutcome()).Fails();

        Assert.Equal(TicketErrors.UnknownOutcome, error);
    }

    [Fact]
    public void Every_reason_has_its_own_sentence()
    {
        var sentences = Enum.GetValues<DecisionReason>().Select(reason => reason.Describe()).ToList();

        Assert.All(sentences, sentence => Assert.DoesNotContain("Unknown", sentence));
        Assert.Equal(sentences.Count, sentences.Distinct().Count());
    }

    [Fact]
    public void Match_dispatches_each_case()
    {
        static string Name(HandshakeOutcome outcome) =>
            outcome.Match(_ => "full", _ => "resumption", _ => "authentication", extra => $"extra {extra.Count}");

        Assert.Equal(
            new[] { "full", "resumption", "authentication", "extra 4" },
            new[] { Decisions.Full, Decisions.Resumed, Decisions.EmptyAuthentication, Decisions.Extra(4) }.Select(Name));
    }

    /// <summary>
    /// A subclass only the protected copy constructor makes possible; the policy must refuse it, not throw.
    /// </summary>
    private sealed record RogueOutcome() : HandshakeOutcome(new ExtraTicketsRequested(1))
    {
        public override R Match<R>(
            Func<FullHandshake, R> full,
            Func<Resumption, R> resumption,
            Func<PostHandshakeAuthCompleted, R> postHandshakeAuth,
            Func<ExtraTicketsRequested, R> extraTickets) => extraTickets(new ExtraTicketsRequested(1));
    }
}
