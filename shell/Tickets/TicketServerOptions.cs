using System.Diagnostics.Metrics;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Tickets.Core.Model;
using Tickets.Core.Protocol;
using Tickets.TicketStore;

namespace Tickets;

/// <summary>
/// Everything a Tickets server is configured with, in the manner of <c>SslServerAuthenticationOptions</c>: set the
/// properties, then hand the object to <see cref="Tickets.TicketServer"/> (or to the <see cref="TicketServerContext"/> constructor that takes it),
/// which validates it once and throws <see cref="ArgumentException"/> or <see cref="InvalidOperationException"/> naming
/// the property at fault. The options are read then and not kept: changing them afterwards changes nothing.
/// </summary>
/// <remarks>
/// Each property has an OpenSSL-style counterpart on <see cref="TicketServerContext"/>, which the options build (the
/// context stays the SSL_CTX of the server and can be changed while it runs; docs/library.md has the table). The
/// ticket semantics themselves are the core's: <see cref="NumTickets"/> feeds <see cref="Context.SetNumTickets"/>.
/// </remarks>
public sealed partial class TicketServerOptions
{
    /// <summary>
    /// The server certificate, with its private key (ECDSA or RSA). Sent without intermediates; for a chain, or a key an
    /// <see cref="X509Certificate2"/> cannot hold (RSASSA-PSS, Ed25519, Ed448), use <see cref="ServerCertificateContext"/>.
    /// Exactly one of this, <see cref="ServerCertificateContext"/> and <see cref="ServerCertificateSelectionCallback"/>
    /// is set.
    /// </summary>
    public X509Certificate2? ServerCertificate { get; set; }

    /// <summary>
    /// The server certificate ready to serve: leaf, chain and signer (see <see cref="Tickets.ServerCertificateContext"/>).
    /// It stays yours: dispose it after the server.
    /// </summary>
    public ServerCertificateContext? ServerCertificateContext { get; set; }

    /// <summary>
    /// Picks the certificate for each handshake by the server name the client asked for (SNI; null when it sent none), like
    /// <c>SslServerAuthenticationOptions.ServerCertificateSelectionCallback</c>. Called once per handshake, after the
    /// ClientHello was read and before anything is negotiated, with the connection and the name (peer-controlled text:
    /// escape it before logging). Return the same <see cref="Tickets.ServerCertificateContext"/> instance for the same
    /// certificate, so its Certificate message and signer are built once. Null ends the handshake with unrecognized_name
    /// (handshake_failure when the client sent no name); an exception ends it with internal_error.
    /// </summary>
    public Func<TicketServerConnection, string?, ServerCertificateContext?>? ServerCertificateSelectionCallback { get; set; }

    /// <summary>
    /// ≈ SSL_CTX_set_num_tickets: tickets sent after a full handshake (a resumption gets at most one), default 2; 0 sends
    /// none. Each connection copies it when created and may change its own (<see cref="TicketServerConnection.SetNumTickets"/>).
    /// </summary>
    public int NumTickets { get; set; } = Context.DefaultNumTickets;

    /// <summary>
    /// ≈ SSL_CTX_set_timeout: how long a session stays resumable, in whole seconds (tickets live at most 7 days whatever
    /// this says); default 2 hours.
    /// </summary>
    public TimeSpan SessionTimeout { get; set; } = TimeSpan.FromSeconds(Context.DefaultSessionTimeoutSeconds);

    /// <summary>The most tickets a client's RFC 9149 ticket_request can obtain after one handshake; default 8.</summary>
    public int MaxTicketRequest { get; set; } = Context.DefaultMaxTicketRequest;

    /// <summary>≈ SSL_OP_NO_TICKET when <see cref="TicketMode.Stateful"/>: tickets are ids of sessions the store keeps.</summary>
    public TicketMode TicketMode { get; set; } = TicketMode.Stateless;

    /// <summary>Each ticket resumes at most once (RFC 8446 §8), across the process or the fleet the store spans.</summary>
    public bool SingleUseTickets { get; set; }

    /// <summary>A ticket resumes whatever server name the client sends now; off by default (see docs/security.md).</summary>
    public bool ResumeAcrossServerNames { get; set; }

    /// <summary>
    /// The store that makes, opens and consumes tickets; null: the server's own <see cref="LocalTicketStore"/> on
    /// <see cref="TimeProvider"/>. The server owns a store given here and disposes it with itself.
    /// </summary>
    public ITicketStore? TicketStore { get; set; }

    /// <summary>
    /// ALPN protocols in our preference order: the first one the client also offers is chosen. Null keeps the default
    /// (http/1.1 only); an empty list ignores ALPN.
    /// </summary>
    public List<SslApplicationProtocol>? ApplicationProtocols { get; set; }

    /// <summary>≈ SSL_CTX_set1_groups: key exchange groups, most preferred first; null keeps the default list.</summary>
    public IList<NamedGroup>? Groups { get; set; }

    /// <summary>≈ SSL_CTX_set_verify: whether full handshakes ask for (or require) a client certificate.</summary>
    public ClientCertificateMode ClientCertificateMode { get; set; } = ClientCertificateMode.None;

    /// <summary>
    /// ≈ SSL_CTX_load_verify_locations: the trust anchors client chains must end in, and the only ones (the machine's
    /// store is not consulted). None: no client certificate verifies (its result then says so).
    /// </summary>
    public IList<X509Certificate2>? ClientCertificateAuthorities { get; set; }

    /// <summary>Whether a client chain's revocation is checked; <see cref="X509RevocationMode.NoCheck"/> by default.</summary>
    public X509RevocationMode CertificateRevocationCheckMode { get; set; } = X509RevocationMode.NoCheck;

    /// <summary>
    /// ≈ <c>s_server -psk</c>: external PSKs the server accepts (copied; yours stay yours). Not together with
    /// <see cref="FindExternalPsk"/>.
    /// </summary>
    public IList<ExternalPsk>? ExternalPsks { get; set; }

    /// <summary>≈ SSL_CTX_set_psk_find_session_callback: finds the external PSK an offered identity names.</summary>
    public ExternalPskFinder? FindExternalPsk { get; set; }

    /// <summary>≈ SSL_OP_ALLOW_NO_DHE_KEX: a PSK may be used without (EC)DHE when the client offers only psk_ke.</summary>
    public bool AllowPskWithoutKeyExchange { get; set; }

    /// <summary>
    /// From the first byte to the client's Finished; a client without it by then is dropped and its handshake throws
    /// <see cref="TimeoutException"/>. Default 30 s; <see cref="Timeout.InfiniteTimeSpan"/> for none.
    /// </summary>
    public TimeSpan HandshakeTimeout { get; set; } = TicketServerContext.DefaultHandshakeTimeout;

    /// <summary>The longest a write may wait for the peer to take our bytes (default 60 s; see docs/hardening.md).</summary>
    public TimeSpan WriteTimeout { get; set; } = TicketServerContext.DefaultWriteTimeout;

    /// <summary>≈ SSL_CTX_set_max_cert_list: the largest handshake message a client may send (default 128 KiB).</summary>
    public int MaxHandshakeMessageLength { get; set; } = HandshakeReassembler.DefaultMaxMessageLength;

    /// <summary>Bytes of declined 0-RTT data skipped before the connection fails (default 16384, as OpenSSL).</summary>
    public int EarlyDataSkipLimit { get; set; } = TicketServerContext.DefaultEarlyDataSkipLimit;

    /// <summary>
    /// Connections a <see cref="Tickets.TicketServer"/> serves at once (default 512); one more is accepted and closed at
    /// once, before any TLS byte, rather than left waiting in the kernel's queue.
    /// </summary>
    public int MaxConnections { get; set; } = TicketServerContext.DefaultMaxConnections;

    /// <summary>
    /// How long <see cref="Tickets.TicketServer.StopAsync"/> waits for open connections to finish after telling them to
    /// stop; those still open then are aborted. Default 30 s, as the .NET host's.
    /// </summary>
    public TimeSpan ShutdownTimeout { get; set; } = TicketServerContext.DefaultShutdownTimeout;

    /// <summary>
    /// Called for every accepted connection before its handshake, on the accepting thread (keep it short): set this
    /// connection's ticket count (≈ SSL_set_num_tickets), subscribe to its events, or refuse it. Connections over
    /// <see cref="MaxConnections"/> come refused already, so the callback sees every one.
    /// </summary>
    public Action<TicketConnectionAcceptedContext>? OnConnectionAccepted { get; set; }

    /// <summary>
    /// The clock of everything timed: ticket ages, key rotation, session expiry, client certificate validity. Null: the
    /// system clock.
    /// </summary>
    public TimeProvider? TimeProvider { get; set; }

    /// <summary>
    /// Where connections, handshakes, ticket decisions, resumption verdicts and alerts are logged (categories
    /// <c>Tickets.TicketServer</c> and <c>Tickets.TicketServerConnection</c>; docs/library.md lists the event ids).
    /// Null: no logging.
    /// </summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>
    /// Where the meter "Tickets" comes from: ASP.NET Core's <see cref="IMeterFactory"/> (from dependency injection), which
    /// then owns it and scopes it to the host, or your own (tests use one to observe a single server). Null: one meter named
    /// "Tickets" shared by the process, which <c>dotnet-counters monitor --counters Tickets</c> shows.
    /// </summary>
    public IMeterFactory? MeterFactory { get; set; }

    /// <summary>
    /// When set, connection secrets are written here in the NSS key log format, for Wireshark. Debugging only: anyone
    /// with these lines can decrypt the traffic.
    /// </summary>
    public TextWriter? KeyLogWriter { get; set; }
}
