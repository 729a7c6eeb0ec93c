namespace Tickets.Core.Protocol;

/// <summary>The client's ticket_request extension (RFC 9149): how many tickets it would like.</summary>
/// <param name="NewSessionCount">Tickets wanted after a full handshake.</param>
/// <param name="ResumptionCount">Tickets wanted after a resumption.</param>
public sealed record TicketRequest(byte NewSessionCount, byte ResumptionCount);
