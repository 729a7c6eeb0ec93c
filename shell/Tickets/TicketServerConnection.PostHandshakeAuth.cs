using Tickets.Core.Model;
using Tickets.Core.Policy;
using Tickets.Core.Protocol;
using Tickets.Authentication;
using Tickets.Records;

namespace Tickets;

/// <summary>
/// Post-handshake client authentication (RFC 8446 §4.6.2), the analogue of SSL_verify_client_post_handshake, and the
/// identity a connection knows its client by.
/// </summary>
/// <remarks>
/// The client's answer arrives on the same stream as application data. Whoever is reading routes it: an application
/// blocked in <see cref="ReadAsync"/> (an echo loop) processes it on the way, and when nobody reads (a web page
/// waiting for the answer before it responds) the authentication reads the records itself, holding any application
/// data that comes first for the next <see cref="ReadAsync"/>.
/// </remarks>
public sealed partial class TicketServerConnection
{
    /// <summary>
    /// How much application data an authentication reads ahead for the application. Beyond it, it stops reading and
    /// leaves the rest (and the client's answer) to the application's next read, so a client cannot make us buffer
    /// without bound by sending data instead of its certificate.
    /// </summary>
    private const int MaxHeldApplicationData = 1024 * 1024;

    // Guarded by the read lock, like the rest of the receive state.
    private readonly Queue<byte[]> heldApplicationData = new();
    private int heldApplicationDataBytes;

    // Guarded by gate: the request whose answer we are waiting for; at most one at a time.
    private PostHandshakeAuthentication? pendingAuthentication;

    /// <summary>
    /// The client's identity: proven in the handshake or by the last post-handshake authentication, or restored from
    /// the ticket a resumed session used. Null when the client never presented a certificate.
    /// </summary>
    public PeerIdentity? PeerIdentity => CoreState.Peer.MatchUnsafe(peer => peer, () => null);

    /// <summary>Whether the client's ClientHello carried post_handshake_auth, i.e. it can be asked for a certificate now.</summary>
    public bool PostHandshakeAuthOffered => session?.PostHandshakeAuthOffered ?? false;

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
        var summary = session ?? throw new InvalidOperationException("Post-handshake authentication needs a completed handshake.");
        if (!summary.PostHandshakeAuthOffered || summary.HandshakeTranscript is null)
        {
            throw new InvalidOperationException(
                "The client did not offer post_handshake_auth in its ClientHello, so it cannot be asked for a certificate; nothing was sent.");
        }

        var authentication = new PostHandshakeAuthentication(summary.HandshakeTranscript, context.ClientAuthentication, context.TimeProvider, context.Entropy);
        lock (gate)
        {
            if (pendingAuthentication is not null)
            {
                authentication.Dispose();
                throw new InvalidOperationException("A post-handshake authentication is already waiting for the client's answer.");
            }

            pendingAuthentication = authentication;
        }

        await SendCertificateRequestAsync(authentication, cancellationToken).ConfigureAwait(false);
        await ReadUntilAnsweredAsync(authentication, summary.Traffic, cancellationToken).ConfigureAwait(false);
        return await authentication.Completion.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task SendCertificateRequestAsync(PostHandshakeAuthentication authentication, CancellationToken cancellationToken)
    {
        await writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (sentCloseNotify || Volatile.Read(ref transportClosed) != 0)
            {
                throw AbandonAuthentication(new IOException("The TLS connection is closed for writing."));
            }

            records.Write(ContentType.Handshake, authentication.Request);
            await records.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            writeLock.Release();
        }
    }

    /// <summary>
    /// Reads records one at a time whenever no application read holds the connection, until the answer is complete.
    /// Taking turns record by record lets an application read that starts meanwhile get its data promptly.
    /// </summary>
    private async Task ReadUntilAnsweredAsync(PostHandshakeAuthentication authentication, ApplicationTraffic traffic, CancellationToken cancellationToken)
    {
        while (!authentication.Completion.IsCompleted)
        {
            var turn = readLock.WaitAsync(cancellationToken);
            if (await Task.WhenAny(authentication.Completion, turn).ConfigureAwait(false) != turn)
            {
                // The application's read finished the job; give the lock back whenever our turn comes after all.
                _ = turn.ContinueWith(
                    acquired => { if (acquired.IsCompletedSuccessfully) readLock.Release(); },
                    CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                return;
            }

            await turn.ConfigureAwait(false);
            try
            {
                if (authentication.Completion.IsCompleted)
                {
                    return;
                }

                if (heldApplicationDataBytes >= MaxHeldApplicationData || peerClosed || Volatile.Read(ref transportClosed) != 0)
                {
                    break;
                }

                await ReadOneRecordForAuthenticationAsync(traffic, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception error) when (error is TlsAlertException or PeerAlertException)
            {
                throw await ReadFailedAsync(error).ConfigureAwait(false);
            }
            finally
            {
                readLock.Release();
            }
        }

        // Too much data held, or the connection ended: the outcome now depends on the application's reads (or is
        // already a failure); wait for it.
        await authentication.Completion.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task ReadOneRecordForAuthenticationAsync(ApplicationTraffic traffic, CancellationToken cancellationToken)
    {
        var record = await records.ReadAsync(cancellationToken).ConfigureAwait(false);
        if (record is not { } received)
        {
            PeerClosed();
            return;
        }

        switch (received.Type)
        {
            case ContentType.ApplicationData when received.Content.Length > 0:
                consecutiveKeyUpdates = 0;
                heldApplicationData.Enqueue(received.Content.ToArray());
                heldApplicationDataBytes += received.Content.Length;
                break;
            case ContentType.ApplicationData:
                break;
            case ContentType.Handshake:
                await HandlePostHandshakeAsync(received.Content, traffic, cancellationToken).ConfigureAwait(false);
                break;
            case ContentType.Alert when AlertRecord.IsCloseNotify(received.Content.Span):
                PeerClosed();
                break;
            default:
                throw AlertRecord.ToException(received.Content.Span);
        }
    }

    /// <summary>
    /// One message of the client's answer, from whichever read received it. After the Finished, the core decides the
    /// tickets for the completed authentication and they go out at once.
    /// </summary>
    private async ValueTask AcceptAuthenticationMessageAsync(byte[] message, ApplicationTraffic traffic, CancellationToken cancellationToken)
    {
        PostHandshakeAuthentication authentication;
        lock (gate)
        {
            authentication = pendingAuthentication
                ?? throw new TlsAlertException(AlertDescription.UnexpectedMessage, $"{(HandshakeType)message[0]} without a CertificateRequest");
        }

        if (!await authentication.AcceptAsync(message, traffic).ConfigureAwait(false))
        {
            return;
        }

        var peer = authentication.Peer;
        TicketDecision decision;
        lock (gate)
        {
            decision = TicketPolicy.Decide(context.Settings, core, new HandshakeOutcome.PostHandshakeAuthCompleted(peer)).Match(
                Succ: value => value,
                Fail: error => throw new TlsAlertException(AlertDescription.InternalError, $"ticket policy refused: {error.Message}"));
            core = decision.Next;
            // The new identity was judged under the settings of this request: so are the tickets that carry it.
            ticketAuthentication = authentication.Context;
            pendingAuthentication = null;
        }

        try
        {
            var issued = await SendTicketFlightAsync(RequireSession(), decision, cancellationToken).ConfigureAwait(false);
            authentication.Complete(new ClientAuthenticationResult(peer.MatchUnsafe(identity => identity, () => null), issued));
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

    /// <summary>Fails the waiting authentication, if any, with <paramref name="error"/>, and returns the error to throw.</summary>
    /// <summary>
    /// What a failed read becomes for its caller, whichever side was reading: after our alert (or the peer's) the
    /// connection is closed, and a post-handshake authentication still waiting fails with the same error.
    /// </summary>
    private async Task<Exception> ReadFailedAsync(Exception error)
    {
        if (error is TlsAlertException alert)
        {
            await FailAsync(alert.Alert).ConfigureAwait(false);
            return AbandonAuthentication(new IOException($"TLS connection failed ({alert.Alert}): {alert.Message}", alert));
        }

        await CloseTransportAsync().ConfigureAwait(false);
        return AbandonAuthentication(new IOException(error.Message, error));
    }

    private Exception AbandonAuthentication(Exception error)
    {
        PostHandshakeAuthentication? abandoned;
        lock (gate)
        {
            abandoned = pendingAuthentication;
            pendingAuthentication = null;
        }

        if (abandoned is not null)
        {
            abandoned.Fail(error);
            abandoned.Dispose();
        }

        return error;
    }

    /// <summary>close_notify or end of stream: no answer can come any more.</summary>
    private void PeerClosed()
    {
        peerClosed = true;
        AbandonAuthentication(new IOException("The client closed the connection before answering the CertificateRequest."));
    }

    private bool HasHeldApplicationData => heldApplicationData.Count > 0;

    /// <summary>Moves the oldest held record into the read buffer; false when nothing is held.</summary>
    private bool TakeHeldApplicationData()
    {
        if (!heldApplicationData.TryDequeue(out var chunk))
        {
            return false;
        }

        heldApplicationDataBytes -= chunk.Length;
        // Only called with no read buffer in hand (ReadAsync serves that first); rented like ReadAsync's own.
        pending = System.Buffers.ArrayPool<byte>.Shared.Rent(chunk.Length);
        chunk.CopyTo(pending, 0);
        pendingStart = 0;
        pendingEnd = chunk.Length;
        return true;
    }
}
