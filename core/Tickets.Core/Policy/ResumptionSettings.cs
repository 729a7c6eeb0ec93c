using Tickets.Core.Model;

namespace Tickets.Core.Policy;

/// <summary>
/// The server's side of a resumption decision: what it demands of clients now and how strict it is about the rest.
/// </summary>
/// <param name="AuthenticationContext">
/// The client-authentication settings the server runs under now; a ticket resumes only when it was issued under the
/// same ones.
/// </param>
public sealed record ResumptionSettings(AuthenticationContext AuthenticationContext)
{
    /// <summary>
    /// When true, a ticket resumes whatever server name the client sends now. Off by default, as in rustls: a session
    /// authenticated for one name is not resumed for another (RFC 6066 §3 says the same of TLS 1.2 sessions).
    /// </summary>
    public bool AllowServerNameChange { get; init; }

    /// <summary>How far the client's ticket age may be from the server's, in either direction (OpenSSL's 10 s).</summary>
    public uint AgeToleranceMilliseconds { get; init; } = ResumptionPolicy.DefaultAgeToleranceMilliseconds;

    /// <summary>
    /// When true, a client that offers only psk_ke may use a PSK (a ticket or an external one) without an (EC)DHE
    /// exchange, so without forward secrecy (≈ OpenSSL's SSL_OP_ALLOW_NO_DHE_KEX). Off by default: then psk_dhe_ke is
    /// the only mode. A client offering both modes gets psk_dhe_ke either way, as from OpenSSL 3.0.
    /// </summary>
    public bool AllowPskWithoutKeyExchange { get; init; }
}
