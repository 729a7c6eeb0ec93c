using LanguageExt;

namespace Tickets.Core.Model;

/// <summary>
/// What the policy decided for one event: how many tickets to send now, the connection state that replaces the old
/// one, and why.
/// </summary>
/// <remarks>
/// The tickets of one decision differ only in their nonce (consecutive, from <see cref="FirstNonce"/>), so the
/// decision stores the flight as first nonce, count, lifetime and identity rather than as a list. Together with
/// being a value type this lets <c>TicketPolicy.Decide</c> run without allocating; <see cref="Tickets"/> builds the
/// list when a caller asks for it, and <see cref="Ticket"/> reads one ticket without building anything.
/// </remarks>
/// <param name="FirstNonce">The ticket_nonce of the first ticket; the i-th ticket has <c>FirstNonce + i</c>.</param>
/// <param name="Count">How many tickets to send now.</param>
/// <param name="LifetimeSeconds">Every ticket's ticket_lifetime, already clamped to seven days.</param>
/// <param name="Peer">The client identity every ticket of this flight carries.</param>
/// <param name="Next">The connection after this event.</param>
/// <param name="Reason">The rule that chose <paramref name="Count"/>.</param>
public readonly record struct TicketDecision(
    ulong FirstNonce, int Count, uint LifetimeSeconds, Option<PeerIdentity> Peer, Connection Next, DecisionReason Reason)
{
    /// <summary>The tickets to send now, in nonce order (a new list on every read).</summary>
    public Seq<TicketToIssue> Tickets
    {
        get
        {
            if (Count == 0)
            {
                return Seq<TicketToIssue>.Empty;
            }

            var tickets = new TicketToIssue[Count];
            for (var i = 0; i < tickets.Length; i++)
            {
                tickets[i] = Ticket(i);
            }

            return Prelude.toSeq(tickets);
        }
    }

    /// <summary>The <paramref name="index"/>-th ticket of the flight, counting from 0.</summary>
    public TicketToIssue Ticket(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return new TicketToIssue(FirstNonce + (ulong)index, LifetimeSeconds, Peer);
    }
}
