using LanguageExt;
using Tickets.Core.Model;
using Tickets.Shell.Crypto;
using Tickets.Shell.Records;

namespace Tickets.Shell.Handshake;

/// <summary>What a completed handshake leaves behind for the connection: parameters and secrets.</summary>
internal sealed record HandshakeSummary(
    CipherSuiteParameters Suite,
    ushort Group,
    ushort? SignatureScheme,
    string? ServerName,
    string? ApplicationProtocol,
    bool Resumed,
    bool ClientOfferedPskModes,
    Option<PeerIdentity> Peer,
    ApplicationTraffic Traffic,
    byte[] ResumptionMasterSecret);
