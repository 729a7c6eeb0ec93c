using Tickets.Core.Model;
using Tickets.Core.Policy;
using Tickets.Handshake;

namespace Tickets;

/// <summary>What the handshake settled: the parameters and the session a connection reports once it completed.</summary>
public sealed partial class TicketServerConnection
{
    private HandshakeSummary? Session => Volatile.Read(ref traffic)?.Session;

    /// <summary>Whether the handshake completed; the properties below are empty or null until it has.</summary>
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

    /// <summary>The negotiated cipher suite, e.g. TLS_AES_128_GCM_SHA256; empty before the handshake.</summary>
    public string CipherSuite => Session?.Suite.Name ?? string.Empty;

    /// <summary>The key exchange group, e.g. x25519; empty before the handshake, and after a psk_ke one, which has none.</summary>
    public string Group => Session?.Group?.ToString() ?? string.Empty;

    /// <summary>The CertificateVerify scheme; "none" for a resumed session, which sends no certificate.</summary>
    public string SignatureScheme => Session switch
    {
        null => string.Empty,
        { SignatureScheme: { } scheme } => scheme.ToString(),
        _ => "none",
    };

    /// <summary>
    /// The server name (SNI) the connection's session was made for: the ClientHello's after a full handshake, the
    /// resumed session's after a resumption (the same unless <see cref="TicketServerContext.ResumeAcrossServerNames"/>).
    /// Null without one.
    /// </summary>
    public string? ServerName => Session?.ServerName;

    /// <summary>The ALPN protocol negotiated (after a resumption, the session's, which the core requires to match).</summary>
    public string? ApplicationProtocol => Session?.ApplicationProtocol;

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
