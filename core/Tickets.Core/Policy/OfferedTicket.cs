using LanguageExt;
using Tickets.Core.Model;

namespace Tickets.Core.Policy;

/// <summary>One identity of the client's pre_shared_key, as the shell found it.</summary>
/// <param name="ObfuscatedTicketAge">The identity's obfuscated_ticket_age (RFC 8446 §4.2.11).</param>
/// <param name="Session">The session its ticket opened to; none when it did not open or was not opened.</param>
public sealed record OfferedTicket(uint ObfuscatedTicketAge, Option<ResumableSession> Session)
{
    /// <summary>
    /// Set by the shell when this single-use ticket was chosen, its binder verified, and spending it failed: some
    /// connection resumed with it before. The decision then moves on to the next usable identity.
    /// </summary>
    public bool Spent { get; init; }
}
