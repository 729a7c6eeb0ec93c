namespace Tickets.Core.Model;

/// <summary>
/// The ticket errors as ready-made values, so callers compare with <c>==</c> (C#) or <c>=</c> (F#) and the policy
/// never allocates an error on its refusal paths.
/// </summary>
public static class TicketErrors
{
    public static readonly TicketError NegativeCount =
        new(TicketErrorKind.NegativeCount, "the number of tickets must be zero or more; the previous value is kept");

    public static readonly TicketError HandshakeAlreadyComplete =
        new(TicketErrorKind.HandshakeAlreadyComplete, "the connection has already completed its handshake");

    public static readonly TicketError PostHandshakeAuthBeforeHandshake =
        new(TicketErrorKind.PostHandshakeAuthBeforeHandshake, "post-handshake authentication needs a completed handshake");

    public static readonly TicketError ExtraTicketsBeforeHandshake =
        new(TicketErrorKind.ExtraTicketsBeforeHandshake, "extra tickets can only be sent after the handshake completed");

    public static readonly TicketError NegativeExtraTicketCount =
        new(TicketErrorKind.NegativeExtraTicketCount, "the number of extra tickets must be zero or more");

    public static readonly TicketError CountersExhausted =
        new(TicketErrorKind.CountersExhausted, "issuing these tickets would overflow the connection's ticket counters");

    public static readonly TicketError UnknownOutcome =
        new(TicketErrorKind.UnknownOutcome, "the handshake outcome is not one of the four known cases");

    public static readonly TicketError NegativeTicketRequestLimit =
        new(TicketErrorKind.NegativeTicketRequestLimit, "the ticket_request limit must be zero or more; the previous value is kept");
}
