using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using LanguageExt;
using Tickets.Core;
using Tickets.Core.Model;
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
/// <remarks>
/// Build one from a <see cref="TicketServerOptions"/> (the .NET way, validated once), or from a certificate and then
/// its OpenSSL-style setters; <see cref="TicketServer"/> builds one from its options by itself.
/// </remarks>
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
        : this(ServerCertificateContext.Create(certificateWithPrivateKey, chain), ownsCertificate: true, timeProvider ?? TimeProvider.System, EntropySource.System)
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
        : this(ServerCertificateContext.Create(certificate, pkcs8PrivateKey, chain), ownsCertificate: true, timeProvider ?? TimeProvider.System, EntropySource.System)
    {
    }

    /// <summary>A context on the given clock and entropy source; tests fix randomness through this one.</summary>
    internal TicketServerContext(
        X509Certificate2 certificateWithPrivateKey, IEnumerable<X509Certificate2>? chain, TimeProvider timeProvider, EntropySource entropy)
        : this(ServerCertificateContext.Create(certificateWithPrivateKey, chain), ownsCertificate: true, timeProvider, entropy)
    {
    }

    private TicketServerContext(ServerCertificateContext? certificate, bool ownsCertificate, TimeProvider timeProvider, EntropySource entropy)
    {
        TimeProvider = timeProvider;
        Entropy = entropy;
        serverCertificate = certificate;
        ownedCertificate = ownsCertificate ? certificate : null;
        ticketStore = new LocalTicketStore(timeProvider, entropy);
    }

    /// <summary>The clock every connection of this context is timed by, as given to the constructor.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>Where handshakes and tickets draw their random values; <see cref="EntropySource.System"/> outside tests.</summary>
    internal EntropySource Entropy { get; }

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
    /// ≈ SSL_CTX_set_num_tickets: tickets after a full handshake for connections created afterwards (a resumption gets
    /// at most one); 0 sends none.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative; nothing changes.</exception>
    public void SetNumTickets(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        lock (gate)
        {
            settings = settings.SetNumTickets(count).Match(Succ: next => next, Fail: error => throw new ArgumentOutOfRangeException(nameof(count), count, error.Message));
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
    /// <exception cref="ArgumentOutOfRangeException">Set to a negative value; nothing changes.</exception>
    public int MaxTicketRequest
    {
        get => Settings.MaxTicketRequest;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            lock (gate)
            {
                settings = settings.SetMaxTicketRequest(value).Match(Succ: next => next, Fail: error => throw new ArgumentOutOfRangeException(nameof(value), value, error.Message));
            }
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
        // Read now: a closed socket no longer knows its peer, and logs want it then too.
        return NewConnection(PipeTransport.Over(socket), socket.RemoteEndPoint, socket.LocalEndPoint);
    }

    /// <summary>≈ SSL_new + SSL_set_bio: a server connection over any duplex stream, which it now owns.</summary>
    /// <param name="stream">The transport; disposing the connection disposes it.</param>
    /// <param name="remoteEndPoint">The peer's address, if known, for <see cref="TicketServerConnection.RemoteEndPoint"/> and logs.</param>
    /// <param name="localEndPoint">Our address, if known, for <see cref="TicketServerConnection.LocalEndPoint"/>.</param>
    public TicketServerConnection CreateConnection(Stream stream, EndPoint? remoteEndPoint = null, EndPoint? localEndPoint = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return NewConnection(PipeTransport.Over(stream), remoteEndPoint, localEndPoint);
    }

    /// <summary>
    /// A server connection over a pair of pipes, such as a Kestrel connection's <c>Transport</c>: TLS records are read
    /// from <see cref="IDuplexPipe.Input"/> and written to <see cref="IDuplexPipe.Output"/> with no stream in between.
    /// Disposing the connection completes both pipes.
    /// </summary>
    /// <param name="transport">The transport's pipes.</param>
    /// <param name="remoteEndPoint">The peer's address, if known, for <see cref="TicketServerConnection.RemoteEndPoint"/> and logs.</param>
    /// <param name="localEndPoint">Our address, if known, for <see cref="TicketServerConnection.LocalEndPoint"/>.</param>
    public TicketServerConnection CreateConnection(IDuplexPipe transport, EndPoint? remoteEndPoint = null, EndPoint? localEndPoint = null)
    {
        ArgumentNullException.ThrowIfNull(transport);
        return NewConnection(PipeTransport.Over(transport), remoteEndPoint, localEndPoint);
    }

    private TicketServerConnection NewConnection(PipeTransport transport, EndPoint? remoteEndPoint, EndPoint? localEndPoint) =>
        new(this, transport, Connection.Create(Settings)) { RemoteEndPoint = remoteEndPoint, LocalEndPoint = localEndPoint };

    /// <summary>
    /// Disposes the certificate this context created (wiping its key), the ticket store (wiping the keys and sessions it
    /// holds) and its copies of external PSKs.
    /// </summary>
    public void Dispose()
    {
        ownedCertificate?.Dispose();
        TicketStore.Dispose();
        DisposeExternalPsks();
    }
}
