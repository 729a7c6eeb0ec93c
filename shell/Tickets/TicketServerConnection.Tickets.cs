using Tickets.Core.Model;
using Tickets.Core.Policy;
using Tickets.Core.Protocol;
using Tickets.Handshake;
using Tickets.TicketStore;

namespace Tickets;

/// <summary>
/// Tickets: the flight after the handshake, and tickets on demand (the analogue of calling SSL_new_session_ticket
/// <c>count</c> times). The core decides how many; this sends them.
/// </summary>
public sealed partial class TicketServerConnection
{
    /// <summary>
    /// Asks the core how many tickets to send after this handshake, adopts its next connection state, and
    /// sends the whole flight in one write.
    /// </summary>
    private async Task IssueTicketsAsync(HandshakeSummary summary, CancellationToken cancellationToken)
    {
        var outcome = HandshakeOutcomes.Of(summary);

        TicketDecision decision;
        lock (gate)
        {
            decision = TicketPolicy.Decide(context.Settings, core, outcome).Match(
                Succ: value => value,
                Fail: error => throw new TlsAlertException(AlertDescription.InternalError, $"ticket policy refused: {error.Message}"));
            core = decision.Next;
        }

        await SendTicketFlightAsync(summary, decision, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends the tickets of one decision as one flight, in one write, then records and announces them. Used after
    /// the handshake, after each post-handshake authentication and for extra tickets alike.
    /// </summary>
    private async Task<IReadOnlyList<IssuedTicket>> SendTicketFlightAsync(
        HandshakeSummary summary, TicketDecision decision, CancellationToken cancellationToken)
    {
        // One store and one mode for the whole flight, even if the context is reconfigured meanwhile.
        var store = context.TicketStore;
        var mode = context.Settings.TicketMode;
        // Stateful tickets are ids, sealed by no key; so are a store's that names no keys: the trace then shows none.
        records.Trace?.Decided(decision, mode == TicketMode.Stateless && store is INamedTicketKeys keys ? keys.CurrentKeyName : []);
        if (decision.Count == 0)
        {
            return [];
        }

        AuthenticationContext authentication;
        lock (gate)
        {
            authentication = ticketAuthentication ?? summary.AuthenticationContext;
        }

        var (flight, issued) = await TicketIssuer.BuildAsync(
            decision, summary, authentication, store, mode, context.TimeProvider.GetUtcNow(), context.Entropy, cancellationToken).ConfigureAwait(false);
        await writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (sentCloseNotify || Volatile.Read(ref transportClosed) != 0)
            {
                throw new IOException("The TLS connection is closed for writing.");
            }

            UpdateWriteKeyIfDue(summary.Traffic);
            records.Write(ContentType.Handshake, flight.Span);
            await records.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            writeLock.Release();
        }

        lock (gate)
        {
            issuedTickets.AddRange(issued);
        }

        foreach (var ticket in issued)
        {
            TicketIssued?.Invoke(this, ticket);
        }

        return issued;
    }

    /// <summary>
    /// RFC 9149's expected_count: the decision the core would take now for <paramref name="outcome"/>, thrown away.
    /// Exact unless the count is changed between EncryptedExtensions and the client's Finished.
    /// </summary>
    private int ExpectedTicketCount(HandshakeOutcome outcome)
    {
        lock (gate)
        {
            return TicketPolicy.ExpectedTicketCount(context.Settings, core, outcome).Match(Succ: count => count, Fail: _ => 0);
        }
    }

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
