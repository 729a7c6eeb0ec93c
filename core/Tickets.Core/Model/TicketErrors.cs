namespace Tickets.Core.Model;

/// <summary>
/// The ticket errors as ready-made values, so callers compare with <c>==</c> (C#) or <c>=</c> (F#) and the policy
/// never allocates an error on its refusal paths.
/// </summary>
public static class TicketErrors
{
    /// <summary>A negative ticket count was set (rule 1); the previous count stays.</summary>
    public static readonly TicketError NegativeCount =
        new(TicketErrorKind.NegativeCount, "the number of tickets must be zero or more; the previous value is kept");

    /// <summary>A second full handshake or resumption was reported on one connection.</summary>
    public static readonly TicketError HandshakeAlreadyComplete =
        new(TicketErrorKind.HandshakeAlreadyComplete, "the connection has already completed its handshake");

    /// <summary>Post-handshake authentication was reported before the handshake completed.</summary>
    public static readonly TicketError PostHandshakeAuthBeforeHandshake =
        new(TicketErrorKind.PostHandshakeAuthBeforeHandshake, "post-handshake authentication needs a completed handshake");

    /// <summary>Extra tickets were asked for before the handshake completed (SSL_new_session_ticket returns 0).</summary>
    public static readonly TicketError ExtraTicketsBeforeHandshake =
        new(TicketErrorKind.ExtraTicketsBeforeHandshake, "extra tickets can only be sent after the handshake completed");

    /// <summary>A negative number of extra tickets was asked for.</summary>
    public static readonly TicketError NegativeExtraTicketCount =
        new(TicketErrorKind.NegativeExtraTicketCount, "the number of extra tickets must be zero or more");

    /// <summary>Issuing would overflow the connection's nonce or sent-ticket counters.</summary>
    public static readonly TicketError CountersExhausted =
        new(TicketErrorKind.CountersExhausted, "issuing these tickets would overflow the connection's ticket counters");

    /// <summary>An outcome that is none of the four cases reached the policy.</summary>
    public static readonly TicketError UnknownOutcome =
        new(TicketErrorKind.UnknownOutcome, "the handshake outcome is not one of the four known cases");

    /// <summary>A negative cap on ticket_request counts was set; the previous cap stays.</summary>
    public static readonly TicketError NegativeTicketRequestLimit =
        new(TicketErrorKind.NegativeTicketRequestLimit, "the ticket_request limit must be zero or more; the previous value is kept");
}
