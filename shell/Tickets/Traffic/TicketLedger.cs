using System.Collections.Immutable;
using LanguageExt;
using LanguageExt.Common;
using Tickets.Core.Model;
using Tickets.Core.Policy;

namespace Tickets.Traffic;

/// <summary>
/// The core's view of one connection (its immutable <see cref="Connection"/>), the client-authentication context its
/// tickets are bound to, and the tickets it has issued. Every ticket decision goes through <see cref="Advance"/>: ask the
/// core, adopt the connection it returns. Any thread may use it at any time (SetNumTickets from the application, the
/// handshake's expected_count, decisions after the handshake).
/// </summary>
/// <remarks>
/// No lock: the three facts live in one immutable snapshot, replaced by compare-and-swap. The core is pure, so a
/// decision that lost a race to another thread is simply taken again on the connection that won, and two decisions
/// can never hand out the same nonces. The snapshot also keeps a decision and the context its tickets are bound to
/// together, so tickets decided before a post-handshake authentication completed cannot be sealed under its context.
/// </remarks>
internal sealed class TicketLedger(TicketServerContext context, Connection initial)
{
    private Snapshot current = new(initial, null, []);

    /// <summary>The core's current state of the connection.</summary>
    public Connection Core => Volatile.Read(ref current).Core;

    /// <summary>Every ticket issued so far, in the order the flights were written.</summary>
    public IReadOnlyList<IssuedTicket> Issued => Volatile.Read(ref current).Issued;

    /// <summary>≈ SSL_set_num_tickets on the connection: takes effect for decisions not yet taken; negative counts fail.</summary>
    public Fin<Unit> SetNumTickets(int count) =>
        Update(seen => seen.Core.SetNumTickets(count).Map(next => (seen with { Core = next }, Unit.Default)));

    /// <summary>
    /// RFC 9149's expected_count: the decision the core would take now for <paramref name="outcome"/>, thrown away (0 if
    /// refused). Exact unless the count changes between EncryptedExtensions and the client's Finished.
    /// </summary>
    public int ExpectedTicketCount(HandshakeOutcome outcome) =>
        TicketPolicy.ExpectedTicketCount(context.Settings, Core, outcome).Match(Succ: count => count, Fail: _ => 0);

    /// <summary>
    /// The one step after every event: asks the core for the tickets of <paramref name="outcome"/> under the context's
    /// settings as they are now, adopts the next connection atomically, and returns the decision with the
    /// authentication context its tickets are bound to: <paramref name="bindTo"/> from now on when given (a completed
    /// handshake or post-handshake authentication), else the one already bound. A refusal changes nothing.
    /// </summary>
    public Fin<TicketGrant> Advance(HandshakeOutcome outcome, AuthenticationContext? bindTo = null) =>
        Update(seen => TicketPolicy.Decide(context.Settings, seen.Core, outcome).Bind(decision =>
        {
            var boundTo = bindTo ?? seen.BoundTo;
            return boundTo is null
                ? Fin<(Snapshot, TicketGrant)>.Fail(Error.New("no authentication context is bound before the handshake completed"))
                : Fin<(Snapshot, TicketGrant)>.Succ(
                    (seen with { Core = decision.Next, BoundTo = boundTo }, new TicketGrant(decision, boundTo)));
        }));

    /// <summary>Adds a flight's tickets once it was written.</summary>
    public void Record(IReadOnlyList<IssuedTicket> issued)
    {
        if (issued.Count > 0)
        {
            Update(seen => Fin<(Snapshot, Unit)>.Succ((seen with { Issued = seen.Issued.AddRange(issued) }, Unit.Default)));
        }
    }

    /// <summary>Applies <paramref name="change"/> to the snapshot it saw, again and again until no other thread came between.</summary>
    private Fin<T> Update<T>(Func<Snapshot, Fin<(Snapshot Next, T Result)>> change)
    {
        while (true)
        {
            var seen = Volatile.Read(ref current);
            var attempt = change(seen);
            if (attempt.Case is not ValueTuple<Snapshot, T> success)
            {
                return attempt.Map(refused => refused.Result);
            }

            var (next, result) = success;

            if (ReferenceEquals(Interlocked.CompareExchange(ref current, next, seen), seen))
            {
                return result;
            }
        }
    }

    private sealed record Snapshot(Connection Core, AuthenticationContext? BoundTo, ImmutableList<IssuedTicket> Issued);
}

/// <summary>One ticket decision and the client-authentication context its tickets are sealed with.</summary>
internal sealed record TicketGrant(TicketDecision Decision, AuthenticationContext BoundTo);
