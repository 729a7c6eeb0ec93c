namespace Tickets.Core.Policy;

/// <summary>
/// Whether one offered ticket may be resumed, and if not, why. Every refusal means a full handshake for the client,
/// never an error: the ticket may be old, foreign, tampered with or issued under other settings, and none of that is
/// the client's fault.
/// </summary>
public enum ResumptionVerdict
{
    /// <summary>Every rule holds: the session may be resumed.</summary>
    Accepted,

    /// <summary>The server-side age exceeds the ticket lifetime (RFC 8446 §4.6.1), or seven days.</summary>
    Expired,

    /// <summary>The client's reported age differs from the server-side age by more than the tolerance.</summary>
    AgeInconsistent,

    /// <summary>The ticket claims to be issued after now: a clock step back or a forged issue time.</summary>
    IssuedInFuture,

    /// <summary>The identity is past the number of identities the server looks at (<see cref="ResumptionPolicy.MaxIdentities"/>).</summary>
    BeyondIdentityCap,

    /// <summary>
    /// The identity is no external PSK the server knows, and as a ticket it did not open: unknown or retired key,
    /// tampered, unknown id, evicted, or an older format.
    /// </summary>
    NotOpened,

    /// <summary>A single-use ticket that has resumed a session before.</summary>
    AlreadyUsed,

    /// <summary>The session was made with another TLS version.</summary>
    ProtocolVersionMismatch,

    /// <summary>
    /// The session's cipher suite, or the external PSK, uses another hash than the suite negotiated now: its PSK cannot
    /// be used (§4.2.11).
    /// </summary>
    HashMismatch,

    /// <summary>The ticket was issued under other client-authentication settings (requirement or trust anchors).</summary>
    AuthenticationContextMismatch,

    /// <summary>The server requires a verified client certificate and the session carries no verified identity.</summary>
    ClientNotVerified,

    /// <summary>The session was made for another server name (SNI), or with one when there is none now, or the reverse.</summary>
    ServerNameMismatch,

    /// <summary>The session spoke another ALPN protocol than the one chosen for this ClientHello.</summary>
    ApplicationProtocolMismatch,

    /// <summary>
    /// The client offered no PSK key exchange mode the server allows: psk_ke alone, where the server requires psk_dhe_ke
    /// (see <see cref="ResumptionSettings.AllowPskWithoutKeyExchange"/>). Applies to every identity of the ClientHello.
    /// </summary>
    KeyExchangeModeRefused,
}
