namespace Tickets.Core.Model;

/// <summary>
/// Every way a ticket operation can be refused. The numeric values are the <c>Code</c> of the matching
/// <see cref="TicketError"/>; they start at 1001 so they never collide with TLS alert numbers (0-255) that other
/// parts of Tickets put in the same <c>Error.Code</c> slot.
/// </summary>
public enum TicketErrorKind
{
    /// <summary>A ticket count below zero was set (OpenSSL's set_num_tickets returns 0 and keeps the old value).</summary>
    NegativeCount = 1001,

    /// <summary>A full handshake or resumption was reported for a connection whose handshake already completed.</summary>
    HandshakeAlreadyComplete = 1002,

    /// <summary>Post-handshake authentication was reported before the handshake completed.</summary>
    PostHandshakeAuthBeforeHandshake = 1003,

    /// <summary>Extra tickets were requested before the handshake completed (SSL_new_session_ticket returns 0).</summary>
    ExtraTicketsBeforeHandshake = 1004,

    /// <summary>A negative number of extra tickets was requested.</summary>
    NegativeExtraTicketCount = 1005,

    /// <summary>Issuing would overflow the per-connection nonce or sent-ticket counters.</summary>
    CountersExhausted = 1006,

    /// <summary>A <c>HandshakeOutcome</c> that is none of the four known cases reached the policy.</summary>
    UnknownOutcome = 1007,

    /// <summary>A negative cap on RFC 9149 ticket requests was set.</summary>
    NegativeTicketRequestLimit = 1008,
}
