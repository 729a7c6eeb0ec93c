namespace Tickets.Core.Protocol;

/// <summary>The client's ticket_request extension (RFC 9149): how many tickets it would like.</summary>
public sealed record TicketRequest(byte NewSessionCount, byte ResumptionCount);
