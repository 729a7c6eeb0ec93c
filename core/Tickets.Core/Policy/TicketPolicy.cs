using LanguageExt;
using Tickets.Core.Model;
using Tickets.Core.Protocol;

namespace Tickets.Core.Policy;

/// <summary>
/// The decision at the heart of Tickets: after each event, how many TLS 1.3 tickets to issue, with OpenSSL 3.0's
/// semantics, and what the connection looks like afterwards. Pure: the same inputs always give the same decision.
/// </summary>
/// <remarks>
/// <para>Odd sequences are refused with a typed error and leave the caller's connection untouched, because each of
/// them means the shell's state machine went wrong and silently issuing (or not) would hide that:</para>
/// <list type="bullet">
/// <item>a second <c>FullHandshake</c> or <c>Resumption</c> on one connection: <see cref="TicketErrors.HandshakeAlreadyComplete"/>;</item>
/// <item>post-handshake authentication before the handshake: <see cref="TicketErrors.PostHandshakeAuthBeforeHandshake"/>;</item>
/// <item>extra tickets before the handshake (SSL_new_session_ticket returns 0): <see cref="TicketErrors.ExtraTicketsBeforeHandshake"/>;</item>
/// <item>a negative extra count (checked before the handshake state): <see cref="TicketErrors.NegativeExtraTicketCount"/>;</item>
/// <item>a connection whose count was forced below zero with <c>with</c>: <see cref="TicketErrors.NegativeCount"/>;</item>
/// <item>a ticket_request to honour under a maximum forced below zero with <c>with</c>: <see cref="TicketErrors.NegativeTicketRequestLimit"/>.</item>
/// </list>
/// <para>Zero extra tickets is not an error: like a count of zero it simply issues nothing.</para>
/// <para>Precedence when tickets would follow a handshake or an authentication: strict PSK modes first (no ticket may
/// be sent at all), then a count of zero, then the client's ticket_request if it sent one, then the resumption cap,
/// then the count.</para>
/// <para>RFC 9149 ticket_request, which OpenSSL 3.0 does not implement, is an addition on top of its rules:</para>
/// <list type="bullet">
/// <item>Without the extension every decision is exactly OpenSSL's.</item>
/// <item>With it, a full handshake issues min(new_session_count, <see cref="Context.MaxTicketRequest"/>) and a
/// resumption min(resumption_count, <see cref="Context.MaxTicketRequest"/>), in place of the count and of the
/// one-ticket resumption cap. The request can therefore obtain more than the count (a client racing parallel
/// resumptions needs one ticket each, RFC 9149 §3) but never more than the server's maximum, and never more than it
/// asked for ("SHOULD NOT send more tickets than requested").</item>
/// <item>A count of zero still means none: the operator turned tickets off and a client cannot turn them back on.
/// Strict PSK modes still forbid every ticket, because RFC 8446 §4.2.9 is a MUST and RFC 9149 only a SHOULD.</item>
/// <item>A post-handshake authentication issues the same request-derived number again, which is what OpenSSL's restart
/// does with the count: the new flight carries the new identity and supersedes the earlier one, so the client again
/// holds as many current tickets as it asked for.</item>
/// <item>Extra tickets (SSL_new_session_ticket) ignore the request, as they ignore the count and the resumption cap:
/// they are the application's deliberate choice, which RFC 9149's SHOULD NOT leaves room for.</item>
/// </list>
/// <para>The server must announce the expected number in EncryptedExtensions before the client's Finished arrives;
/// <see cref="ExpectedTicketCount"/> gives it from the same rules.</para>
/// <para>The lifetime and the strict option are read from the context passed in, i.e. the server's settings when the
/// event happens; only the count is copied into the connection, as OpenSSL does.</para>
/// </remarks>
public static class TicketPolicy
{
    /// <summary>Decides the tickets for <paramref name="outcome"/> on <paramref name="connection"/>.</summary>
    public static Fin<TicketDecision> Decide(Context context, Connection connection, HandshakeOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(outcome);

        // A type switch rather than Match: Match would allocate a closure per case on every decision.
        return outcome switch
        {
            HandshakeOutcome.FullHandshake full =>
                AfterHandshake(context, connection, resumed: false, full.ClientOfferedPskModes, full.Peer, full.TicketRequest),
            HandshakeOutcome.Resumption resumption =>
                AfterHandshake(
                    context, connection, resumed: true, resumption.ClientOfferedPskModes, resumption.RestoredPeer, resumption.TicketRequest),
            HandshakeOutcome.PostHandshakeAuthCompleted authentication =>
                AfterPostHandshakeAuth(context, connection, authentication.Peer),
            HandshakeOutcome.ExtraTicketsRequested extra =>
                AfterExtraRequest(context, connection, extra.Count),
            // Reachable only through a record deriving from the protected copy constructor; refuse it like bad input.
            _ => Fin<TicketDecision>.Fail(TicketErrors.UnknownOutcome),
        };
    }

    /// <summary>
    /// How many tickets <paramref name="outcome"/> would issue, for the expected_count an RFC 9149 server announces in
    /// EncryptedExtensions. The policy being pure, this is the decision itself, taken early and thrown away; it is
    /// exact as long as the connection's count does not change before the client's Finished.
    /// </summary>
    public static Fin<int> ExpectedTicketCount(Context context, Connection connection, HandshakeOutcome outcome) =>
        Decide(context, connection, outcome).Map(decision => decision.Count);

    // Rules 3 and 7: the first (and only) handshake of the connection.
    private static Fin<TicketDecision> AfterHandshake(
        Context context,
        Connection connection,
        bool resumed,
        bool clientOfferedPskModes,
        Option<PeerIdentity> peer,
        Option<TicketRequest> request)
    {
        if (connection.HandshakeComplete)
        {
            return Fin<TicketDecision>.Fail(TicketErrors.HandshakeAlreadyComplete);
        }

        if (connection.NumTickets < 0)
        {
            return Fin<TicketDecision>.Fail(TicketErrors.NegativeCount);
        }

        if (request.IsSome && context.MaxTicketRequest < 0)
        {
            return Fin<TicketDecision>.Fail(TicketErrors.NegativeTicketRequestLimit);
        }

        var (count, reason) = ScheduledFlight(
            context.StrictPskModes && !clientOfferedPskModes,
            connection.NumTickets,
            resumed,
            request,
            context.MaxTicketRequest,
            resumed ? DecisionReason.ResumedAtMostOne : DecisionReason.FullHandshakeCount);

        // The handshake's facts and the issued counters go into one copy: two `with`s would allocate twice.
        if (Exhausted(connection.NextNonce, sentTickets: 0, connection.ExtraTicketsIssued, count, extra: false))
        {
            return Fin<TicketDecision>.Fail(TicketErrors.CountersExhausted);
        }

        var next = connection with
        {
            HandshakeComplete = true,
            Resumed = resumed,
            ClientOfferedPskModes = clientOfferedPskModes,
            Peer = peer,
            TicketRequest = request,
            SentTickets = count,
            NextNonce = connection.NextNonce + (ulong)count,
        };
        return Decision(context, connection.NextNonce, peer, count, next, reason);
    }

    // Rules 4 and 5: every completed authentication restarts the sent count and issues the count read now.
    private static Fin<TicketDecision> AfterPostHandshakeAuth(Context context, Connection connection, Option<PeerIdentity> peer)
    {
        if (!connection.HandshakeComplete)
        {
            return Fin<TicketDecision>.Fail(TicketErrors.PostHandshakeAuthBeforeHandshake);
        }

        if (connection.NumTickets < 0)
        {
            return Fin<TicketDecision>.Fail(TicketErrors.NegativeCount);
        }

        if (connection.TicketRequest.IsSome && context.MaxTicketRequest < 0)
        {
            return Fin<TicketDecision>.Fail(TicketErrors.NegativeTicketRequestLimit);
        }

        var (count, reason) = ScheduledFlight(
            context.StrictPskModes && !connection.ClientOfferedPskModes,
            connection.NumTickets,
            connection.Resumed,
            connection.TicketRequest,
            context.MaxTicketRequest,
            connection.Resumed ? DecisionReason.PostHandshakeAuthResumedAtMostOne : DecisionReason.PostHandshakeAuthRestart);

        // The new identity replaces the old one even when it is empty: OpenSSL drops the previous peer certificate.
        if (Exhausted(connection.NextNonce, sentTickets: 0, connection.ExtraTicketsIssued, count, extra: false))
        {
            return Fin<TicketDecision>.Fail(TicketErrors.CountersExhausted);
        }

        var next = connection with
        {
            Peer = peer,
            SentTickets = count,
            PostHandshakeAuthentications = connection.PostHandshakeAuthentications + 1,
            NextNonce = connection.NextNonce + (ulong)count,
        };
        return Decision(context, connection.NextNonce, peer, count, next, reason);
    }

    // Rule 6: extras are on top of everything else, so neither the count nor the resumption cap is consulted.
    private static Fin<TicketDecision> AfterExtraRequest(Context context, Connection connection, int requested)
    {
        if (requested < 0)
        {
            return Fin<TicketDecision>.Fail(TicketErrors.NegativeExtraTicketCount);
        }

        if (!connection.HandshakeComplete)
        {
            return Fin<TicketDecision>.Fail(TicketErrors.ExtraTicketsBeforeHandshake);
        }

        // RFC 8446 §4.2.9 forbids any NewSessionTicket without psk_key_exchange_modes, asked for or not.
        return context.StrictPskModes && !connection.ClientOfferedPskModes
            ? Issue(context, connection, 0, DecisionReason.StrictPskModesNone, extra: true)
            : Issue(context, connection, requested, DecisionReason.ExtraTicketsRequested, extra: true);
    }

    // The flight after a handshake or authentication, in the precedence order documented on the class.
    private static (int Count, DecisionReason Reason) ScheduledFlight(
        bool forbiddenByStrictMode,
        int count,
        bool resumed,
        Option<TicketRequest> request,
        int maxTicketRequest,
        DecisionReason whenIssuing)
    {
        if (forbiddenByStrictMode)
        {
            return (0, DecisionReason.StrictPskModesNone);
        }

        if (count == 0)
        {
            return (0, DecisionReason.CountZero);
        }

        // A switch over the option's cases would allocate closures; the pattern keeps the policy allocation-free.
        if (request.Case is TicketRequest asked)
        {
            var wanted = resumed ? asked.ResumptionCount : asked.NewSessionCount;
            return (Math.Min(wanted, maxTicketRequest), DecisionReason.TicketRequestHonoured);
        }

        return (resumed ? 1 : count, whenIssuing);
    }

    // Rule 6's extras add to the counters of the connection as it is.
    private static Fin<TicketDecision> Issue(Context context, Connection connection, int count, DecisionReason reason, bool extra)
    {
        if (Exhausted(connection.NextNonce, connection.SentTickets, connection.ExtraTicketsIssued, count, extra))
        {
            return Fin<TicketDecision>.Fail(TicketErrors.CountersExhausted);
        }

        var next = connection with
        {
            NextNonce = connection.NextNonce + (ulong)count,
            SentTickets = connection.SentTickets + count,
            ExtraTicketsIssued = extra ? connection.ExtraTicketsIssued + count : connection.ExtraTicketsIssued,
        };
        return Decision(context, connection.NextNonce, connection.Peer, count, next, reason);
    }

    // Overflow is out of reach in practice, but a wrapped nonce would repeat a resumption PSK, so it is refused.
    private static bool Exhausted(ulong nextNonce, int sentTickets, int extraTicketsIssued, int count, bool extra) =>
        ulong.MaxValue - nextNonce < (ulong)count
        || int.MaxValue - sentTickets < count
        || (extra && int.MaxValue - extraTicketsIssued < count);

    // Rules 9 and 10: consecutive nonces from the connection's counter, every ticket with the clamped lifetime.
    private static Fin<TicketDecision> Decision(
        Context context, ulong firstNonce, Option<PeerIdentity> peer, int count, Connection next, DecisionReason reason) =>
        Fin<TicketDecision>.Succ(new TicketDecision(firstNonce, count, context.TicketLifetimeSeconds, peer, next, reason));
}
