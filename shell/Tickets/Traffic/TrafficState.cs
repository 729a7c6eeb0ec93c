using Tickets.Authentication;
using Tickets.Core.Model;
using Tickets.Core.Protocol;
using Tickets.Crypto;
using Tickets.Handshake;

namespace Tickets.Traffic;

/// <summary>
/// A connection after its handshake (rustls's ExpectTraffic): it owns what happens besides application data — KeyUpdate
/// in both directions, post-handshake client authentication (RFC 8446 §4.6.2), tickets after the handshake, after each
/// authentication and on demand, and the reassembly of the client's post-handshake messages — and answers each message
/// or request with the <see cref="TrafficEffect"/>s to carry out. It does no I/O and takes no lock; the connection does
/// both.
/// </summary>
/// <remarks>
/// Who may call what: the receive side (<see cref="ReceiveAsync"/>, <see cref="ApplicationDataReceived"/>) only whoever
/// holds the connection's read turn; the write side (<see cref="WriteKeyDue"/>, <see cref="NextWriteKey"/>) only whoever
/// holds its write turn, because each direction steps its own traffic secret; the requests
/// (<see cref="RequestClientCertificate"/>, <see cref="RequestExtraTickets"/>) and <see cref="Abandon"/> any thread. The
/// one slot those share with the receive side, the authentication waiting for its answer, changes by compare-and-swap.
/// </remarks>
internal sealed class TrafficState
{
    private readonly TicketServerContext context;
    private readonly TicketLedger ledger;
    private readonly ulong recordsPerWriteKey;

    // Receive side (read turn): the partial message carried between records, and KeyUpdates since the last data.
    private HandshakeReassembler messages;
    private int consecutiveKeyUpdates;

    // The post-handshake authentication whose answer we are waiting for; at most one at a time.
    private PostHandshakeAuthentication? awaiting;

    /// <param name="session">What the handshake settled: parameters, traffic secrets, the transcript to fork.</param>
    /// <param name="ledger">The core's view of the connection, which every ticket decision advances.</param>
    /// <param name="context">Where the client-authentication settings, the clock and the entropy come from.</param>
    /// <param name="maxMessageLength">The longest post-handshake message body the client may send.</param>
    public TrafficState(HandshakeSummary session, TicketLedger ledger, TicketServerContext context, int maxMessageLength)
    {
        Session = session;
        this.ledger = ledger;
        this.context = context;
        messages = new HandshakeReassembler(maxMessageLength);
        recordsPerWriteKey = context.RecordsPerWriteKey ?? RecordLimits.RecordsPerKey(session.Suite.Aead);
    }

    /// <summary>What the handshake settled.</summary>
    public HandshakeSummary Session { get; }

    /// <summary>
    /// Our KeyUpdate, whether it answers the client's or replaces a worn-out key: update_not_requested, as neither needs an
    /// answer.
    /// </summary>
    public static ReadOnlyMemory<byte> OwnKeyUpdate { get; } = KeyUpdateCodec.Encode(KeyUpdateRequest.UpdateNotRequested);

    /// <summary>
    /// The tickets the core decides for the handshake just completed, bound to its authentication context. They may wait
    /// for the connection's next write (see <see cref="TrafficEffect.IssueTickets.MayWaitForNextWrite"/>): nobody waits
    /// for them yet, and a client that sent its request behind its Finished gets them with the answer.
    /// </summary>
    public TrafficEffect AfterHandshake()
    {
        try
        {
            return Grant(HandshakeOutcomes.Of(Session), Session.AuthenticationContext) with { MayWaitForNextWrite = true };
        }
        catch (TlsAlertException error)
        {
            return TrafficEffect.Fail.From(error);
        }
    }

    /// <summary>
    /// ≈ SSL_new_session_ticket <paramref name="count"/> times: the core's ExtraTicketsRequested, which ignores the count and
    /// the resumption cap. The tickets carry the connection's current identity.
    /// </summary>
    /// <exception cref="InvalidOperationException">The core refused: the connection's ticket counters are used up.</exception>
    public TrafficEffect.IssueTickets RequestExtraTickets(int count) =>
        ledger.Advance(new HandshakeOutcome.ExtraTicketsRequested(count)).Match(
            Succ: grant => new TrafficEffect.IssueTickets(grant),
            Fail: error => throw new InvalidOperationException($"The ticket policy refused extra tickets: {error.Message}"));

    /// <summary>
    /// ≈ SSL_verify_client_post_handshake: a CertificateRequest with a fresh random context, forking the handshake's
    /// transcript, to send now. Its answer is expected from here on.
    /// </summary>
    /// <exception cref="InvalidOperationException">The client did not offer post_handshake_auth, or another request is waiting.</exception>
    public TrafficEffect.AskForCertificate RequestClientCertificate()
    {
        if (!Session.PostHandshakeAuthOffered || Session.HandshakeTranscript is null)
        {
            throw new InvalidOperationException(
                "The client did not offer post_handshake_auth in its ClientHello, so it cannot be asked for a certificate; nothing was sent.");
        }

        var authentication = new PostHandshakeAuthentication(Session.HandshakeTranscript, context.ClientAuthentication, context.TimeProvider, context.Entropy);
        if (Interlocked.CompareExchange(ref awaiting, authentication, null) is not null)
        {
            authentication.Dispose();
            throw new InvalidOperationException("A post-handshake authentication is already waiting for the client's answer.");
        }

        return new TrafficEffect.AskForCertificate(authentication);
    }

    /// <summary>
    /// An application-data record arrived, <paramref name="length"/> bytes of it (0 for an empty record). Data starts the
    /// count of KeyUpdates in a row again. Any application-data record, even an empty one, between two fragments of a
    /// handshake message is unexpected_message: RFC 8446 §5.1 forbids interleaving handshake messages with other record
    /// types, and a KeyUpdate split around data would leave unclear which key the data came under.
    /// </summary>
    /// <exception cref="TlsAlertException">The record arrived in the middle of a handshake message.</exception>
    public void ApplicationDataReceived(int length)
    {
        if (messages.HasPartialMessage)
        {
            throw new TlsAlertException(AlertDescription.UnexpectedMessage, "application data between the fragments of a handshake message");
        }

        if (length > 0)
        {
            consecutiveKeyUpdates = 0;
        }
    }

    /// <summary>
    /// One handshake record from the client: every message it completes, in order. A KeyUpdate, the client's answer to
    /// our CertificateRequest, nothing else. Ends with <see cref="TrafficEffect.Fail"/> at the first message that breaks
    /// the protocol, after the effects of the messages before it.
    /// </summary>
    /// <remarks>Asynchronous only because a client's certificate chain is judged off the socket thread.</remarks>
    public async ValueTask<IReadOnlyList<TrafficEffect>> ReceiveAsync(ReadOnlyMemory<byte> record)
    {
        var effects = new List<TrafficEffect>(2);
        try
        {
            var (complete, next) = TlsAlertException.Expect(messages.Append(record.Span));
            messages = next;
            var remaining = complete.Count;
            foreach (var message in complete)
            {
                remaining--;
                switch ((HandshakeType)message[0])
                {
                    case HandshakeType.KeyUpdate:
                        KeyUpdate(message, atRecordEnd: remaining == 0 && !messages.HasPartialMessage, effects);
                        break;
                    case HandshakeType.Certificate or HandshakeType.CertificateVerify or HandshakeType.Finished:
                        if (await AuthenticationMessageAsync(message).ConfigureAwait(false) is { } completed)
                        {
                            effects.Add(completed);
                        }

                        break;
                    default:
                        throw new TlsAlertException(AlertDescription.UnexpectedMessage, $"{(HandshakeType)message[0]} after the handshake");
                }
            }
        }
        catch (TlsAlertException error)
        {
            effects.Add(TrafficEffect.Fail.From(error));
        }

        return effects;
    }

    /// <summary>
    /// The client's KeyUpdate: its next key opens the records after this one, and if it asks, we update ours too
    /// (RFC 8446 §4.6.3).
    /// </summary>
    private void KeyUpdate(byte[] message, bool atRecordEnd, List<TrafficEffect> effects)
    {
        var request = TlsAlertException.Expect(KeyUpdateCodec.Decode(message));
        // The new key applies to the next record, so nothing may follow a KeyUpdate in its record.
        if (!atRecordEnd)
        {
            throw new TlsAlertException(AlertDescription.UnexpectedMessage, "KeyUpdate not at a record boundary");
        }

        // Each KeyUpdate costs a derivation, and an answer to write when it asks for one: only so many in a row.
        if (++consecutiveKeyUpdates > RecordLimits.MaxConsecutiveKeyUpdates)
        {
            throw new TlsAlertException(AlertDescription.UnexpectedMessage,
                $"more than {RecordLimits.MaxConsecutiveKeyUpdates} KeyUpdates without application data between them");
        }

        effects.Add(new TrafficEffect.SwitchReadKey(Session.Traffic.NextReadKey()));
        if (request == KeyUpdateRequest.UpdateRequested)
        {
            effects.Add(TrafficEffect.UpdateWriteKey.Instance);
        }
    }

    /// <summary>
    /// One message of the client's answer to our CertificateRequest. After its Finished, the core decides the tickets for
    /// the completed authentication, bound to the context the request was made under; null until then.
    /// </summary>
    private async ValueTask<TrafficEffect.CompleteAuthentication?> AuthenticationMessageAsync(byte[] message)
    {
        var authentication = Volatile.Read(ref awaiting)
            ?? throw new TlsAlertException(AlertDescription.UnexpectedMessage, $"{(HandshakeType)message[0]} without a CertificateRequest");
        if (!await authentication.AcceptAsync(message, Session.Traffic).ConfigureAwait(false))
        {
            return null;
        }

        // The new identity was judged under the settings of this request: so are the tickets that carry it.
        var tickets = Grant(new HandshakeOutcome.PostHandshakeAuthCompleted(authentication.Peer), authentication.Context);
        // Answered: the next request may start.
        Interlocked.CompareExchange(ref awaiting, null, authentication);
        return new TrafficEffect.CompleteAuthentication(authentication, authentication.Peer, tickets);
    }

    /// <summary>
    /// The core's decision for a completed handshake or authentication, binding its tickets to <paramref name="bindTo"/>
    /// from now on. The core refuses only events out of sequence, which the state never produces, or counters used up:
    /// either way nothing the client can be blamed for, so internal_error.
    /// </summary>
    private TrafficEffect.IssueTickets Grant(HandshakeOutcome outcome, AuthenticationContext bindTo) =>
        ledger.Advance(outcome, bindTo).Match(
            Succ: grant => new TrafficEffect.IssueTickets(grant),
            Fail: error => throw new TlsAlertException(AlertDescription.InternalError, $"ticket policy refused: {error.Message}"));

    /// <summary>
    /// Whether our key has protected as many records as its AEAD safely allows (RFC 8446 §5.5, or the context's lower
    /// test limit): then a KeyUpdate must go out before the next record.
    /// </summary>
    public bool WriteKeyDue(ulong recordsUnderKey) => recordsUnderKey >= recordsPerWriteKey;

    /// <summary>Steps our traffic secret (write turn only): the key for everything after our KeyUpdate.</summary>
    public RecordSealer NextWriteKey() => Session.Traffic.NextWriteKey();

    /// <summary>
    /// No answer can come any more (the connection failed or closed): the authentication waiting for one, if any, fails
    /// with <paramref name="error"/>. Returns the error, for the caller to throw.
    /// </summary>
    public Exception Abandon(Exception error)
    {
        if (Interlocked.Exchange(ref awaiting, null) is { } abandoned)
        {
            abandoned.Fail(error);
            abandoned.Dispose();
        }

        return error;
    }
}
