using Tickets.Core.Model;
using Tickets.TicketStore;
using Tickets.Traffic;

namespace Tickets;

/// <summary>
/// After the handshake: post-handshake client authentication (≈ SSL_verify_client_post_handshake), tickets on demand
/// (≈ SSL_new_session_ticket), and carrying out whatever the traffic state decides.
/// </summary>
/// <remarks>
/// The client's answer to a CertificateRequest arrives on the same stream as application data. Whoever is reading routes
/// it: an application blocked in <see cref="ReadAsync"/> (an echo loop) hands it to the traffic state on the way, and when
/// nobody reads (a web page waiting for the answer before it responds) the authentication reads the records itself,
/// keeping any application data that comes first for the next <see cref="ReadAsync"/>.
/// </remarks>
public sealed partial class TicketServerConnection
{
    /// <summary>
    /// ≈ SSL_verify_client_post_handshake: sends a CertificateRequest with a fresh random context and completes when
    /// the client's Certificate, CertificateVerify and Finished have been checked and the tickets the core decides for
    /// the completed authentication (the connection's count as it is at that moment, at most one on a resumed
    /// connection) have been sent, sealed with the new identity. A client that declines with an empty Certificate
    /// still completes the authentication (no identity, tickets issued all the same) unless the context requires a
    /// certificate, in which case the connection ends with certificate_required.
    /// </summary>
    /// <exception cref="InvalidOperationException">
    /// The handshake has not completed, the client did not offer post_handshake_auth, or another authentication is
    /// still waiting for its answer. Nothing is sent in these cases.
    /// </exception>
    /// <exception cref="IOException">The connection failed or closed before the answer was complete.</exception>
    /// <remarks>
    /// Cancelling stops the wait, not the authentication: the request is out, and a later answer is still checked and
    /// still issues tickets.
    /// </remarks>
    public async Task<ClientAuthenticationResult> VerifyClientPostHandshakeAsync(CancellationToken cancellationToken = default)
    {
        var state = Volatile.Read(ref traffic) ?? throw new InvalidOperationException("Post-handshake authentication needs a completed handshake.");
        var ask = state.RequestClientCertificate();
        await CarryOutAsync(ask, cancellationToken).ConfigureAwait(false);
        await ReadUntilAnsweredAsync(state, ask.Authentication, cancellationToken).ConfigureAwait(false);
        return await ask.Authentication.Completion.WaitAsync(cancellationToken).ConfigureAwait(false);
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
        var state = Volatile.Read(ref traffic) ?? throw new InvalidOperationException("Extra tickets can only be sent after the handshake completed.");
        return await IssueTicketsAsync(state, state.RequestExtraTickets(count), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Carries out <paramref name="effects"/> in order (read turn held: they come from a received record).</summary>
    private async ValueTask CarryOutAsync(IReadOnlyList<TrafficEffect> effects, CancellationToken cancellationToken)
    {
        foreach (var effect in effects)
        {
            await CarryOutAsync(effect, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Does what the traffic state decided. A failure it reports is thrown as the alert to send.</summary>
    private async ValueTask CarryOutAsync(TrafficEffect effect, CancellationToken cancellationToken)
    {
        var state = RequireTraffic();
        switch (effect)
        {
            case TrafficEffect.SwitchReadKey next:
                records.SetReadKey(next.Key);
                break;
            case TrafficEffect.UpdateWriteKey:
                await AnswerKeyUpdateAsync(state, cancellationToken).ConfigureAwait(false);
                break;
            case TrafficEffect.IssueTickets tickets:
                await IssueTicketsAsync(state, tickets, cancellationToken).ConfigureAwait(false);
                break;
            case TrafficEffect.AskForCertificate ask:
                try
                {
                    await SendHandshakeAsync(state, ask.Authentication.Request, cancellationToken).ConfigureAwait(false);
                }
                catch (IOException error)
                {
                    // The request never went out: no answer will come.
                    throw state.Abandon(error);
                }

                break;
            case TrafficEffect.CompleteAuthentication completed:
                await CompleteAuthenticationAsync(state, completed, cancellationToken).ConfigureAwait(false);
                break;
            case TrafficEffect.Fail failure:
                throw new TlsAlertException(failure.Alert, failure.Reason);
            default:
                throw new InvalidOperationException($"unknown effect {effect}");
        }
    }

    /// <summary>
    /// Sends the tickets of one decision as one flight, in one write (after the handshake possibly the next write: see
    /// Coalescing), then records and announces them. Used after the handshake, after each post-handshake authentication
    /// and for extra tickets alike.
    /// </summary>
    private async Task<IReadOnlyList<IssuedTicket>> IssueTicketsAsync(
        TrafficState state, TrafficEffect.IssueTickets tickets, CancellationToken cancellationToken)
    {
        var decision = tickets.Grant.Decision;
        // One store and one mode for the whole flight, even if the context is reconfigured meanwhile.
        var store = context.TicketStore;
        var mode = context.Settings.TicketMode;
        // Stateful tickets are ids, sealed by no key; so are a store's that names no keys: the trace then shows none.
        records.Trace?.Decided(decision, mode == TicketMode.Stateless && store is INamedTicketKeys keys ? keys.CurrentKeyName : []);
        if (decision.Count == 0)
        {
            return [];
        }

        var (flight, issued) = await TicketIssuer.BuildAsync(
            decision, state.Session, tickets.Grant.BoundTo, store, mode, context.TimeProvider.GetUtcNow(), context.Entropy, cancellationToken)
            .ConfigureAwait(false);
        await SendHandshakeAsync(state, flight, cancellationToken, tickets.MayWaitForNextWrite).ConfigureAwait(false);
        ledger.Record(issued);
        foreach (var ticket in issued)
        {
            TicketIssued?.Invoke(this, ticket);
        }

        return issued;
    }

    /// <summary>The client's answer verified: its tickets go out, then whoever asked learns the outcome.</summary>
    private async Task CompleteAuthenticationAsync(
        TrafficState state, TrafficEffect.CompleteAuthentication completed, CancellationToken cancellationToken)
    {
        var authentication = completed.Authentication;
        try
        {
            var issued = await IssueTicketsAsync(state, completed.Tickets, cancellationToken).ConfigureAwait(false);
            authentication.Complete(new ClientAuthenticationResult(completed.Peer.MatchUnsafe(peer => peer, () => null), issued));
        }
        catch (Exception error)
        {
            authentication.Fail(error);
            throw;
        }
        finally
        {
            authentication.Dispose();
        }
    }
}
