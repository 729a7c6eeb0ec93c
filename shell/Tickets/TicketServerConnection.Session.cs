using System.Net.Security;
using System.Security.Authentication;
using System.Text;
using Tickets.Core.Model;
using Tickets.Core.Policy;
using Tickets.Core.Protocol;
using Tickets.Handshake;

namespace Tickets;

/// <summary>
/// What the handshake settled: the parameters and the session a connection reports once it completed, named as
/// <c>SslStream</c> names them where it has the same thing.
/// </summary>
public sealed partial class TicketServerConnection
{
    private HandshakeSummary? Session => Volatile.Read(ref traffic)?.Session;

    /// <summary>Whether the handshake completed; the properties below are empty, default or null until it has.</summary>
    public bool IsHandshakeComplete => Session is not null;

    /// <summary>
    /// True when the handshake used a PSK: one of our tickets, or an external PSK (which OpenSSL reports as "Reused" too,
    /// and which gets tickets as a resumption does). <see cref="PeerIdentity"/> says which.
    /// </summary>
    public bool Resumed => Session?.Resumed ?? false;

    /// <summary>
    /// True when the client authenticated with an external PSK in this handshake: <see cref="Resumed"/> is true too (a
    /// PSK handshake, "Reused" in OpenSSL's words) and <see cref="PeerIdentity"/> names the PSK's identity. False for a
    /// ticket or a full handshake, and before the handshake completed.
    /// </summary>
    public bool UsedExternalPsk => Session?.ExternalPsk ?? false;

    /// <summary><see cref="SslProtocols.Tls13"/> once the handshake completed (the only version served); <see cref="SslProtocols.None"/> before.</summary>
    public SslProtocols SslProtocol => Session is null ? SslProtocols.None : SslProtocols.Tls13;

    /// <summary>
    /// The negotiated cipher suite, e.g. <see cref="TlsCipherSuite.TLS_AES_128_GCM_SHA256"/> (its <c>ToString()</c> is the
    /// IANA name); <see cref="TlsCipherSuite.TLS_NULL_WITH_NULL_NULL"/> before the handshake.
    /// </summary>
    public TlsCipherSuite NegotiatedCipherSuite =>
        Session is { } session ? (TlsCipherSuite)(ushort)session.Suite.Suite : TlsCipherSuite.TLS_NULL_WITH_NULL_NULL;

    /// <summary>
    /// The ALPN protocol negotiated (after a resumption, the session's, which the core requires to match); the default
    /// <see cref="SslApplicationProtocol"/> (empty) when none was, as <c>SslStream</c> reports it.
    /// </summary>
    public SslApplicationProtocol NegotiatedApplicationProtocol =>
        Session?.ApplicationProtocol is { } protocol ? new SslApplicationProtocol(Encoding.Latin1.GetBytes(protocol)) : default;

    /// <summary>The key exchange group, e.g. x25519; null before the handshake, and after a psk_ke one, which has none.</summary>
    public NamedGroup? NegotiatedGroup => Session?.Group;

    /// <summary>The CertificateVerify scheme of a full handshake; null before it, and for a PSK handshake, which signs nothing.</summary>
    public SignatureScheme? NegotiatedSignatureScheme => Session?.SignatureScheme;

    /// <summary>
    /// The server name (SNI) the connection's session was made for, as <c>SslStream.TargetHostName</c> on a server: the
    /// ClientHello's after a full handshake, the resumed session's after a resumption (the same unless
    /// <see cref="TicketServerContext.ResumeAcrossServerNames"/>). Empty without one. The client chose it: escape it
    /// (<see cref="PeerText.Escape(string)"/>) before logging it.
    /// </summary>
    public string TargetHostName => Session?.ServerName ?? string.Empty;

    /// <summary>
    /// The core's decision on the tickets the client offered, one verdict per identity, so a log can say why a client
    /// did not resume; null when the client offered no ticket it could resume with (no pre_shared_key, or no
    /// psk_dhe_ke). Set during the handshake, so also readable after it failed.
    /// </summary>
    public ResumptionDecision? Resumption { get; private set; }

    /// <summary>
    /// The client's identity: proven in the handshake or by the last post-handshake authentication, or restored from
    /// the ticket a resumed session used. Null when the client never presented a certificate.
    /// </summary>
    public PeerIdentity? PeerIdentity => ledger.Core.Peer.MatchUnsafe(peer => peer, () => null);

    /// <summary>Whether the client's ClientHello carried post_handshake_auth, i.e. it can be asked for a certificate now.</summary>
    public bool PostHandshakeAuthOffered => Session?.PostHandshakeAuthOffered ?? false;
}
