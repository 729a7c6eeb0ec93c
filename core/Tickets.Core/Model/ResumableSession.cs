using LanguageExt;
using Tickets.Core.Protocol;

namespace Tickets.Core.Model;

/// <summary>
/// What an opened ticket says about its session, as far as deciding whether to resume it goes. The shell opens the
/// ticket and keeps the resumption PSK to itself: the decision needs none of its bytes, and the core never holds
/// secrets.
/// </summary>
/// <param name="ProtocolVersion">The TLS version the session was made with (0x0304 for TLS 1.3).</param>
/// <param name="CipherSuite">The suite of the session; its hash is the PSK's hash (RFC 8446 §4.2.11).</param>
/// <param name="IssuedAtMilliseconds">When the ticket was issued, in Unix milliseconds on the server's clock.</param>
/// <param name="LifetimeSeconds">The ticket_lifetime it was issued with.</param>
/// <param name="AgeAdd">The ticket_age_add it was issued with.</param>
/// <param name="ServerName">The server_name (SNI) of the handshake that made the session; none when the client sent none.</param>
/// <param name="ApplicationProtocol">The ALPN protocol the session spoke; none when none was negotiated.</param>
/// <param name="Peer">The client identity the session carries, proven in a handshake or after it.</param>
/// <param name="AuthenticationContext">The client-authentication settings the ticket was issued under.</param>
public sealed record ResumableSession(
    ushort ProtocolVersion,
    CipherSuite CipherSuite,
    long IssuedAtMilliseconds,
    uint LifetimeSeconds,
    uint AgeAdd,
    Option<string> ServerName,
    Option<string> ApplicationProtocol,
    Option<PeerIdentity> Peer,
    AuthenticationContext AuthenticationContext);
