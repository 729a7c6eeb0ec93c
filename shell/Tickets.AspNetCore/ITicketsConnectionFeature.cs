namespace Tickets.AspNetCore;

/// <summary>
/// The Tickets connection under a Kestrel connection that <c>UseTickets</c> secured: from an endpoint,
/// <c>HttpContext.Features.Get&lt;ITicketsConnectionFeature&gt;()</c> (or the connection's features in connection
/// middleware). Through it a request reaches the TLS connection it arrived on: the tickets issued so far
/// (<see cref="TicketServerConnection.IssuedTickets"/>), this connection's ticket count
/// (<see cref="TicketServerConnection.GetNumTickets"/> / <see cref="TicketServerConnection.SetNumTickets"/>, which
/// counts for tickets not yet decided, e.g. after a post-handshake authentication), extra tickets now
/// (<see cref="TicketServerConnection.SendExtraTicketsAsync"/>) and post-handshake client authentication
/// (<see cref="TicketServerConnection.VerifyClientPostHandshakeAsync"/>).
/// </summary>
/// <remarks>
/// With HTTP/2 several requests share one connection, so what one request does to it (extra tickets, a client
/// certificate) is seen by the others.
/// </remarks>
public interface ITicketsConnectionFeature
{
    /// <summary>The TLS connection, its handshake complete.</summary>
    TicketServerConnection Connection { get; }
}
