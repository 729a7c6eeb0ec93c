using Tickets.Core.Policy;

namespace Tickets;

/// <summary>What the handshake settled: the parameters and the session a connection reports once it completed.</summary>
public sealed partial class TicketServerConnection
{
    /// <summary>Whether the handshake completed; the properties below are empty or null until it has.</summary>
    public bool IsHandshakeComplete => session is not null;

    /// <summary>
    /// True when the handshake used a PSK: one of our tickets, or an external PSK (which OpenSSL reports as "Reused" too,
    /// and which gets tickets as a resumption does). <see cref="PeerIdentity"/> says which.
    /// </summary>
    public bool Resumed => session?.Resumed ?? false;

    /// <summary>The negotiated cipher suite, e.g. TLS_AES_128_GCM_SHA256; empty before the handshake.</summary>
    public string CipherSuite => session?.Suite.Name ?? string.Empty;

    /// <summary>The key exchange group, e.g. x25519; empty before the handshake, and after a psk_ke one, which has none.</summary>
    public string Group => session?.Group?.ToString() ?? string.Empty;

    /// <summary>The CertificateVerify scheme; "none" for a resumed session, which sends no certificate.</summary>
    public string SignatureScheme => session switch
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
    public string? ServerName => session?.ServerName;

    /// <summary>The ALPN protocol negotiated (after a resumption, the session's, which the core requires to match).</summary>
    public string? ApplicationProtocol => session?.ApplicationProtocol;

    /// <summary>
    /// The core's decision on the tickets the client offered, one verdict per identity, so a log can say why a client
    /// did not resume; null when the client offered no ticket it could resume with (no pre_shared_key, or no
    /// psk_dhe_ke). Set during the handshake, so also readable after it failed.
    /// </summary>
    public ResumptionDecision? Resumption { get; private set; }
}
