namespace Tickets;

/// <summary>
/// One NewSessionTicket the server sent: the core's nonce and lifetime, the size of the sealed ticket,
/// and when it was issued. Secrets (the PSK, age_add) stay out of it on purpose.
/// </summary>
public sealed record IssuedTicket(ulong Nonce, uint Lifetime, int TicketLength, DateTimeOffset IssuedAt);
