using Tickets.Core.Model;

namespace Tickets.Sessions;

/// <summary>
/// What a ticket carries (sealed, so only this server can read it): enough to resume the session
/// without any server-side storage — the PSK itself plus the facts that decide whether it may be used.
/// </summary>
internal sealed record SessionState(
    ushort ProtocolVersion,
    ushort CipherSuite,
    byte[] ResumptionPsk,
    long IssuedAtUnixMilliseconds,
    uint LifetimeSeconds,
    uint AgeAdd,
    string? ServerName,
    string? ApplicationProtocol,
    LanguageExt.Option<PeerIdentity> Peer);
