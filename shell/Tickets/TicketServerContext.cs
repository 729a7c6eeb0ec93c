using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using LanguageExt;
using Tickets.Core;
using Tickets.Core.Model;
using Tickets.Core.Protocol;
using Tickets.Crypto;
using Tickets.Handshake;
using Tickets.TicketStore;
using Tickets.Trace;
using Tickets.Transport;

namespace Tickets;

/// <summary>
/// The server-wide configuration every connection starts from, in the role of OpenSSL's SSL_CTX: the certificate, the
/// ticket settings (held as the core's immutable <see cref="Context"/>), the <see cref="ITicketStore"/> that makes and
/// opens tickets, and the clock everything is timed by. Settings may change at any time from any thread; a connection
/// copies what it needs when it is created, exactly like SSL_new copies the SSL_CTX's ticket count.
/// </summary>
public sealed partial class TicketServerContext : IDisposable
{
    private readonly object gate = new();
    private Context settings = Context.Default;
    private EquatableArray<string> applicationProtocols = ["http/1.1"];
    private ITicketStore ticketStore;
    private volatile bool singleUseTickets;

    /// <summary>
    /// A context serving <paramref name="certificateWithPrivateKey"/> (ECDSA or RSA), with its own <see cref="LocalTicketStore"/>.
    /// </summary>
    /// <param name="certificateWithPrivateKey">The leaf certificate, with its private key.</param>
    /// <param name="chain">Intermediate certificates sent after the leaf, in order; none if null.</param>
    /// <param name="timeProvider">
    /// The clock of everything timed: ticket issue times and ages, key rotation and retention, session expiry, and the
    /// validity of client certificates. Null: the system clock. Set it once here (tests pass one they can move).
    /// </param>
    /// <exception cref="ArgumentException">The certificate has no private key.</exception>
    public TicketServerContext(
        X509Certificate2 certificateWithPrivateKey, IEnumerable<X509Certificate2>? chain = null, TimeProvider? timeProvider = null)
        : this(certificateWithPrivateKey, chain, NewSigner(certificateWithPrivateKey), timeProvider ?? TimeProvider.System, EntropySource.System)
    {
    }

    /// <summary>
    /// A context serving <paramref name="certificate"/> with the PKCS#8 <paramref name="pkcs8PrivateKey"/>: any key kind
    /// we sign with, including those an X509Certificate2 cannot hold (RSASSA-PSS, Ed25519, Ed448). The caller may wipe
    /// its copy of the key afterwards.
    /// </summary>
    /// <param name="certificate">The leaf certificate.</param>
    /// <param name="pkcs8PrivateKey">The leaf's private key, PKCS#8 DER.</param>
    /// <param name="chain">Intermediate certificates sent after the leaf, in order; none if null.</param>
    /// <param name="timeProvider">The clock of everything timed, as in the other constructor; null: the system clock.</param>
    /// <exception cref="ArgumentException">The key does not belong to the certificate, or is of a kind we cannot sign with.</exception>
    public TicketServerContext(
        X509Certificate2 certificate,
        ReadOnlySpan<byte> pkcs8PrivateKey,
        IEnumerable<X509Certificate2>? chain = null,
        TimeProvider? timeProvider = null)
        : this(
            certificate,
            chain,
            new CertificateSigner(certificate ?? throw new ArgumentNullException(nameof(certificate)), pkcs8PrivateKey),
            timeProvider ?? TimeProvider.System,
            EntropySource.System)
    {
    }

    /// <summary>A context on the given clock and entropy source; tests fix randomness through this one.</summary>
    internal TicketServerContext(
        X509Certificate2 certificateWithPrivateKey, IEnumerable<X509Certificate2>? chain, TimeProvider timeProvider, EntropySource entropy)
        : this(certificateWithPrivateKey, chain, NewSigner(certificateWithPrivateKey), timeProvider, entropy)
    {
    }

    private TicketServerContext(
        X509Certificate2 certificate, IEnumerable<X509Certificate2>? chain, CertificateSigner signer, TimeProvider timeProvider, EntropySource entropy)
    {
        TimeProvider = timeProvider;
        Entropy = entropy;
        Certificate = certificate;
        Chain = chain?.ToArray() ?? [];
        Signer = signer;
        // Every full handshake sends these same bytes: encode them once (RawData even copies on each call).
        EncodedCertificateMessage = CertificateCodec.Encode(new CertificateMessage(
            [], [Certificate.RawData, .. Chain.Select(certificate => certificate.RawData)]));
        ticketStore = new LocalTicketStore(timeProvider, entropy);
    }

    private static CertificateSigner NewSigner(X509Certificate2 certificateWithPrivateKey)
    {
        ArgumentNullException.ThrowIfNull(certificateWithPrivateKey);
        if (!certificateWithPrivateKey.HasPrivateKey)
        {
            throw new ArgumentException("The server certificate needs its private key.", nameof(certificateWithPrivateKey));
        }

        return new CertificateSigner(certificateWithPrivateKey);
    }

    /// <summary>The clock every connection of this context is timed by, as given to the constructor.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>Where handshakes and tickets draw their random values; <see cref="EntropySource.System"/> outside tests.</summary>
    internal EntropySource Entropy { get; }

    /// <summary>The leaf certificate, sent in every full handshake.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>Intermediate certificates sent after the leaf, in order.</summary>
    public IReadOnlyList<X509Certificate2> Chain { get; }

    /// <summary>
    /// The signature schemes the certificate's key signs CertificateVerify with, most preferred first; a full handshake
    /// uses the first one the client's signature_algorithms lists.
    /// </summary>
    public IReadOnlyList<SignatureScheme> SignatureSchemes => Signer.Schemes;

    /// <summary>The certificate key's kind and size for people: "ECDSA P-256", "RSA 2048", "RSASSA-PSS 3072", "Ed25519".</summary>
    public string CertificateKeyDescription => Signer.KeyDescription;

    /// <summary>The current core settings; a snapshot, replaced as a whole when something changes.</summary>
    public Context Settings
    {
        get
        {
            lock (gate)
            {
                return settings;
            }
        }
    }

    /// <summary>≈ SSL_CTX_get_num_tickets.</summary>
    public int GetNumTickets() => Settings.GetNumTickets();

    /// <summary>
    /// ≈ SSL_CTX_set_num_tickets: applies to connections created afterwards. A negative count fails and
    /// changes nothing.
    /// </summary>
    public Fin<Unit> SetNumTickets(int count)
    {
        lock (gate)
        {
            return settings.SetNumTickets(count).Map(next =>
            {
                settings = next;
                return Unit.Default;
            });
        }
    }

    /// <summary>≈ SSL_CTX_set_timeout: tickets live min(this, 7 days).</summary>
    public uint SessionTimeoutSeconds
    {
        get => Settings.SessionTimeoutSeconds;
        set
        {
            lock (gate)
            {
                settings = settings.WithSessionTimeout(value);
            }
        }
    }

    /// <summary>
    /// ALPN protocols we speak, in our preference order; the first one the client also offers is chosen.
    /// Empty means we ignore ALPN.
    /// </summary>
    public IReadOnlyList<string> ApplicationProtocols
    {
        get
        {
            lock (gate)
            {
                return applicationProtocols;
            }
        }

        set
        {
            ArgumentNullException.ThrowIfNull(value);
            lock (gate)
            {
                applicationProtocols = EquatableArray.Of(value);
            }
        }
    }

    /// <summary>The ALPN protocols as the handshake's negotiation takes them (no copy per handshake).</summary>
    internal EquatableArray<string> ApplicationProtocolPreference
    {
        get
        {
            lock (gate)
            {
                return applicationProtocols;
            }
        }
    }

    /// <summary>
    /// When set, the connection secrets are written here in the NSS key log format (for Wireshark).
    /// Only for debugging: anyone with these lines can decrypt the traffic.
    /// </summary>
    public TextWriter? KeyLogWriter { get; set; }

    /// <summary>
    /// ≈ SSL_CTX_set_msg_callback: receives every record, handshake message, ticket decision and alert of
    /// connections created afterwards (each connection copies it and may override it). Null: no tracing, no cost.
    /// </summary>
    public ITlsTraceSink? TraceSink { get; set; }

    /// <summary>
    /// Adds traffic secrets to the trace. Off by default and only for a lab: whoever reads the trace can then decrypt
    /// the connections.
    /// </summary>
    public bool TraceTrafficSecrets { get; set; }

    /// <summary>Our Certificate message (§4.4.2): the chain, leaf first, with an empty request context.</summary>
    internal byte[] EncodedCertificateMessage { get; }

    /// <summary>Signs CertificateVerify with the certificate's private key.</summary>
    internal CertificateSigner Signer { get; }

    /// <summary>
    /// Each ticket resumes at most once (RFC 8446 §8, Appendix C.4), which stops replays of a ticket: across the whole
    /// process with a <see cref="LocalTicketStore"/>, across the fleet with a fleet's store. A ticket is spent
    /// (<see cref="ITicketStore.ConsumeAsync"/>) only after its binder verified, so a forged ClientHello cannot burn it.
    /// </summary>
    public bool SingleUseTickets
    {
        get => singleUseTickets;
        set => singleUseTickets = value;
    }

    /// <summary>
    /// ≈ SSL_OP_NO_TICKET: <see cref="Core.Model.TicketMode.Stateful"/> sends ids of sessions the
    /// <see cref="TicketStore"/> keeps instead of sealed state. The core decides the number of tickets the same way in
    /// both modes; tickets are opened the way they are issued now.
    /// </summary>
    public TicketMode TicketMode
    {
        get => Settings.TicketMode;
        set
        {
            lock (gate)
            {
                settings = settings.WithTicketMode(value);
            }
        }
    }

    /// <summary>The most tickets a client's RFC 9149 ticket_request can obtain after one handshake (default 8).</summary>
    public int MaxTicketRequest => Settings.MaxTicketRequest;

    /// <summary>Sets <see cref="MaxTicketRequest"/>; a negative value fails and changes nothing.</summary>
    public Fin<Unit> SetMaxTicketRequest(int max)
    {
        lock (gate)
        {
            return settings.SetMaxTicketRequest(max).Map(next =>
            {
                settings = next;
                return Unit.Default;
            });
        }
    }

    /// <summary>
    /// The store that makes, opens and consumes this context's tickets: its own <see cref="LocalTicketStore"/> unless
    /// <see cref="UseTicketStore"/> put another in its place.
    /// </summary>
    public ITicketStore TicketStore
    {
        get
        {
            lock (gate)
            {
                return ticketStore;
            }
        }
    }

    /// <summary>
    /// Makes and opens tickets with <paramref name="store"/> from now on, e.g. a <see cref="LocalTicketStore"/> configured
    /// with a key file, a fleet's store on Redis, or your own. The context owns the store from now on and disposes it with
    /// itself; the store it replaces is disposed now, so tickets it made no longer resume here. Meant for configuration
    /// time, before connections are accepted: a handshake running meanwhile may fall back to a full one.
    /// </summary>
    /// <param name="store">The store to use; give it this context's <see cref="TimeProvider"/> where it takes a clock.</param>
    public void UseTicketStore(ITicketStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        ITicketStore old;
        lock (gate)
        {
            old = ticketStore;
            ticketStore = store;
        }

        if (!ReferenceEquals(old, store))
        {
            old.Dispose();
        }
    }

    private long connectionsCreated;

    // Identifies connections in trace events; unique per context, in creation order.
    internal long NextConnectionId() => Interlocked.Increment(ref connectionsCreated);

    /// <summary>≈ SSL_new + SSL_set_fd: a server connection over an accepted socket, which it now owns.</summary>
    public TicketServerConnection CreateConnection(Socket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        return new TicketServerConnection(this, PipeTransport.Over(socket), Connection.Create(Settings));
    }

    /// <summary>≈ SSL_new + SSL_set_bio: a server connection over any duplex stream, which it now owns.</summary>
    public TicketServerConnection CreateConnection(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return new TicketServerConnection(this, PipeTransport.Over(stream), Connection.Create(Settings));
    }

    /// <summary>Disposes the certificate's signer and the ticket store (wiping the keys and sessions it holds).</summary>
    public void Dispose()
    {
        Signer.Dispose();
        TicketStore.Dispose();
        DisposeExternalPsks();
    }
}
