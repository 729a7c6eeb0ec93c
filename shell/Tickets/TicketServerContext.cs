using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using LanguageExt;
using Tickets.Core.Model;
using Tickets.Core.Protocol;
using Tickets.Crypto;
using Tickets.Fleet;
using Tickets.Handshake;
using Tickets.Sessions;
using Tickets.TicketStore;
using Tickets.Trace;
using Tickets.Transport;

namespace Tickets;

/// <summary>
/// The server-wide configuration every connection starts from, in the role of OpenSSL's SSL_CTX: the
/// certificate, the ticket settings (held as the core's immutable <see cref="Context"/>), and what protects
/// tickets: a rotating key ring or a fleet's key file, the stateful session cache, the single-use memory. Settings may change at any time from any thread; a connection copies what it needs
/// when it is created, exactly like SSL_new copies the SSL_CTX's ticket count.
/// </summary>
public sealed partial class TicketServerContext : IDisposable
{
    private readonly object gate = new();
    private Context settings = Context.Default;
    private IReadOnlyList<string> applicationProtocols = ["http/1.1"];

    /// <summary>A server presenting <paramref name="certificateWithPrivateKey"/> (ECDSA or RSA), then <paramref name="chain"/>.</summary>
    public TicketServerContext(X509Certificate2 certificateWithPrivateKey, IEnumerable<X509Certificate2>? chain = null)
        : this(certificateWithPrivateKey, chain, NewSigner(certificateWithPrivateKey))
    {
    }

    /// <summary>
    /// A server presenting <paramref name="certificate"/> with the PKCS#8 <paramref name="pkcs8PrivateKey"/>: any key kind
    /// we sign with, including those an X509Certificate2 cannot hold (RSASSA-PSS, Ed25519, Ed448). A key that does not
    /// belong to the certificate throws <see cref="ArgumentException"/>. The caller may wipe its copy of the key afterwards.
    /// </summary>
    public TicketServerContext(X509Certificate2 certificate, ReadOnlySpan<byte> pkcs8PrivateKey, IEnumerable<X509Certificate2>? chain = null)
        : this(certificate, chain, new CertificateSigner(certificate ?? throw new ArgumentNullException(nameof(certificate)), pkcs8PrivateKey))
    {
    }

    private TicketServerContext(X509Certificate2 certificate, IEnumerable<X509Certificate2>? chain, CertificateSigner signer)
    {
        Certificate = certificate;
        Chain = chain?.ToArray() ?? [];
        Signer = signer;
        // Every full handshake sends these same bytes: encode them once (RawData even copies on each call).
        EncodedCertificateMessage = CertificateCodec.Encode(new CertificateMessage(
            [], [Certificate.RawData, .. Chain.Select(certificate => certificate.RawData)]));
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
                applicationProtocols = value.ToArray();
            }
        }
    }

    /// <summary>The smallest limit <see cref="MaxHandshakeMessageLength"/> takes: a ClientHello must fit.</summary>
    public const int MinHandshakeMessageLength = 1024;

    /// <summary>
    /// ≈ SSL_CTX_set_max_cert_list: the largest handshake message body a client may send (its ClientHello, its
    /// Certificate chain, ...), 128 KiB unless set. A client declaring a longer one gets illegal_parameter, as from
    /// OpenSSL ("excessive message size"), before any of its bytes are buffered. Read when a connection is created (post-handshake
    /// messages) and when its handshake starts;
    /// between <see cref="MinHandshakeMessageLength"/> and 2^24 - 1 (what the 3-byte length field can say).
    /// </summary>
    public int MaxHandshakeMessageLength
    {
        get => Volatile.Read(ref maxHandshakeMessageLength);
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, MinHandshakeMessageLength);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 0xFFFFFF);
            Volatile.Write(ref maxHandshakeMessageLength, value);
        }
    }

    private int maxHandshakeMessageLength = HandshakeReassembler.DefaultMaxMessageLength;

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
    /// How often the context's own ticket key is replaced by a fresh random one (default 12 hours; null: never). A
    /// ticket sealed with an earlier key still resumes for as long as it lives, and the tickets issued then are sealed
    /// with the current key; the earlier key is dropped once the last ticket it sealed has expired (two hours after the
    /// rotation with the default session timeout). Has no effect while a key file is in use: the file decides.
    /// </summary>
    public TimeSpan? TicketKeyRotationInterval
    {
        get => TicketProtection.RotationInterval;
        set => TicketProtection.RotationInterval = value;
    }

    /// <summary>
    /// Seals and opens tickets with the keys of a key file (see <see cref="TicketKeyFile"/>), current key first, and
    /// follows the file while running: a fleet rotates by rewriting it. Servers sharing the file resume each
    /// other's tickets. A bad file throws <see cref="TicketKeyFileException"/> and changes nothing; a bad rewrite later
    /// keeps the keys in use and raises <see cref="TicketKeyFileReloadFailed"/>.
    /// </summary>
    /// <param name="path">The key file, private to its owner (mode 0600).</param>
    /// <param name="pollInterval">How often the file is checked besides change notifications (default 5 s).</param>
    public void UseTicketKeyFile(string path, TimeSpan? pollInterval = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        TicketProtection.UseKeyFile(path, pollInterval);
    }

    /// <summary>
    /// Joins a fleet of servers sharing one Redis: stateless tickets are sealed with the fleet's key ring,
    /// rotated by one member at a time for all; stateful sessions (<see cref="TicketMode"/> Stateful) are kept in Redis
    /// so any member resumes them; <see cref="SingleUseTickets"/> holds across the fleet. Everything secret is sealed
    /// under <see cref="FleetOptions.Kek"/>. When Redis is unreachable or slow, handshakes fall back to full ones and
    /// tickets are still sealed with the last known keys; the log says so once per outage.
    /// </summary>
    /// <param name="options">Redis endpoint, KEK, and the fleet's rotation settings.</param>
    /// <param name="log">Receives outage and rotation lines; never key material.</param>
    public Task UseRedisFleetAsync(FleetOptions options, Action<string> log) => TicketProtection.UseFleetAsync(options, log);

    /// <summary>The fleet this context belongs to, or null when everything stays in the process.</summary>
    public FleetTickets? Fleet => TicketProtection.Fleet;

    /// <summary>The full path of the key file in use, or null while the context uses its own random keys.</summary>
    public string? TicketKeyFilePath => TicketProtection.KeyFilePath;

    /// <summary>The key file changed and its keys are in use now.</summary>
    public event EventHandler? TicketKeyFileReloaded
    {
        add => TicketProtection.KeyFileReloaded += value;
        remove => TicketProtection.KeyFileReloaded -= value;
    }

    /// <summary>A changed key file could not be used; the keys in use stay. The message names the fault, never a key.</summary>
    public event EventHandler<TicketKeyFileException>? TicketKeyFileReloadFailed
    {
        add => TicketProtection.KeyFileReloadFailed += value;
        remove => TicketProtection.KeyFileReloadFailed -= value;
    }

    /// <summary>
    /// Each ticket resumes at most once across the whole process (RFC 8446 §8, Appendix C.4), which stops replays of
    /// a ticket. A ticket is spent only after its binder verified, so a forged ClientHello cannot burn it.
    /// </summary>
    public bool SingleUseTickets
    {
        get => TicketProtection.SingleUse;
        set => TicketProtection.SingleUse = value;
    }

    /// <summary>
    /// ≈ SSL_OP_NO_TICKET: <see cref="Core.Model.TicketMode.Stateful"/> sends 16-byte ids into a server-side session
    /// cache instead of sealed state. The core decides the number of tickets the same way in both modes.
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

    /// <summary>
    /// ≈ SSL_CTX_sess_set_cache_size for stateful mode: the most sessions kept (default 20480, OpenSSL's default);
    /// the least recently used makes room. Changing it empties the cache.
    /// </summary>
    public int SessionCacheSize
    {
        get => TicketProtection.CacheCapacity;
        set => TicketProtection.CacheCapacity = value;
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

    /// <summary>Ticket keys, session cache and single-use memory; see <see cref="Sessions.TicketProtection"/>.</summary>
    internal TicketProtection TicketProtection { get; } = new();

    /// <summary>
    /// The names of the ticket keys held now, the sealing one first. Names are not secret (every ticket carries its
    /// key's name in the clear); they let an operator see which key sealed a ticket.
    /// </summary>
    public IReadOnlyList<byte[]> TicketKeyNames => TicketKeys.KeyNames;

    /// <summary>The key ring sealing stateless tickets now.</summary>
    internal TicketKeyRing TicketKeys => TicketProtection.Keys;

    /// <summary>Randomness for ServerHello and key shares; replaced only by tests replaying fixed traces.</summary>
    internal HandshakeEntropy Entropy { get; set; } = HandshakeEntropy.System;

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

    public void Dispose()
    {
        Signer.Dispose();
        TicketProtection.Dispose();
        DisposeExternalPsks();
    }
}
