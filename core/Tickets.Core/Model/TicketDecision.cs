using LanguageExt;

namespace Tickets.Core.Model;

/// <summary>
/// What the policy decided for one event: the tickets to send now, in nonce order, the connection state that
/// replaces the old one, and why.
/// </summary>
public sealed record TicketDecision(Seq<TicketToIssue> Tickets, Connection Next, DecisionReason Reason)
{
    /// <summary>How many tickets to send now.</summary>
    public int Count => Tickets.Count;
}
