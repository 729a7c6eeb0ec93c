namespace Tickets.Core.Model;

/// <summary>
/// Which rule produced a <see cref="TicketDecision"/>. An enum so a program can switch on it and the policy can
/// return it without allocating; <see cref="DecisionReasons.Describe"/> gives the sentence for logs.
/// </summary>
public enum DecisionReason
{
    /// <summary>A full handshake: exactly the connection's count (rule 3).</summary>
    FullHandshakeCount,

    /// <summary>A resumption: one ticket, whatever the count above zero (rule 3).</summary>
    ResumedAtMostOne,

    /// <summary>The count is zero: no ticket after a handshake or an authentication (rule 3).</summary>
    CountZero,

    /// <summary>A post-handshake authentication completed on a full-handshake connection: the count again (rule 5).</summary>
    PostHandshakeAuthRestart,

    /// <summary>A post-handshake authentication completed on a resumed connection: at most one (rules 4, 5).</summary>
    PostHandshakeAuthResumedAtMostOne,

    /// <summary>The application asked for tickets on top, issued regardless of count and resumption (rule 6).</summary>
    ExtraTicketsRequested,

    /// <summary>Strict mode and the client sent no psk_key_exchange_modes: no ticket at all (rule 7).</summary>
    StrictPskModesNone,

    /// <summary>
    /// The client sent ticket_request (RFC 9149): its count for this kind of handshake, capped by the server's
    /// maximum, replaced OpenSSL's count, after a handshake or an authentication.
    /// </summary>
    TicketRequestHonoured,
}
