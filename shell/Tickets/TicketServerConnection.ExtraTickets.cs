using Tickets.Core.Model;
using Tickets.Core.Policy;

namespace Tickets;

/// <summary>Tickets on demand, the analogue of calling SSL_new_session_ticket <c>count</c> times.</summary>
public sealed partial class TicketServerConnection
{
    /// <summary>
    /// Issues <paramref name="count"/> more tickets now, in one write, whatever the connection's count and even on a
    /// resumed connection (the core's ExtraTicketsRequested). They carry the connection's current identity.
    /// </summary>
    /// <exception cref="InvalidOperationException">The handshake has not completed: there is nothing to resume yet.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    public async Task<IReadOnlyList<IssuedTicket>> SendExtraTicketsAsync(int count, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var summary = session ?? throw new InvalidOperationException("Extra tickets can only be sent after the handshake completed.");

        TicketDecision decision;
        lock (gate)
        {
            decision = TicketPolicy.Decide(context.Settings, core, new HandshakeOutcome.ExtraTicketsRequested(count)).Match(
                Succ: value => value,
                Fail: error => throw new InvalidOperationException($"The ticket policy refused extra tickets: {error.Message}"));
            core = decision.Next;
        }

        return await SendTicketFlightAsync(summary, decision, cancellationToken).ConfigureAwait(false);
    }
}
