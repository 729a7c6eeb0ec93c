using System.Globalization;
using Tickets;

namespace Tickets.Cli;

/// <summary>What one connection negotiated and did, as reported in its log line and on the --www page.</summary>
internal sealed record ConnectionReport(
    long Id,
    string Remote,
    bool Resumed,
    string CipherSuite,
    string Group,
    string SignatureScheme,
    string? ServerName,
    string? ApplicationProtocol,
    int TicketsIssued)
{
    /// <summary>The server speaks nothing else: TLS-1.2-only clients are refused with protocol_version.</summary>
    public const string Protocol = "TLSv1.3";

    /// <summary>
    /// The client's identity, proven now (a certificate, or an external PSK) or restored from the resumed ticket; null
    /// without one.
    /// </summary>
    public Tickets.Core.Model.PeerIdentity? Peer { get; init; }

    /// <summary>Whether this handshake used an external PSK (then <see cref="Resumed"/> is true as well).</summary>
    public bool ExternalPsk { get; init; }

    /// <summary>A snapshot of <paramref name="connection"/> now (the ticket count grows while tickets go out).</summary>
    public static ConnectionReport Of(long id, string remote, TicketServerConnection connection) => new(
        id,
        remote,
        connection.Resumed,
        connection.CipherSuite,
        connection.Group,
        connection.SignatureScheme,
        connection.ServerName,
        connection.ApplicationProtocol,
        connection.IssuedTickets.Count)
    {
        Peer = connection.PeerIdentity,
        ExternalPsk = connection.UsedExternalPsk,
    };

    /// <summary>
    /// The per-connection log line, e.g. "conn 3 127.0.0.1:51234 full TLS_AES_128_GCM_SHA256 x25519 tickets=2".
    /// The first six fields are fixed so scripts can split on spaces: a PSK handshake, with a ticket or an external PSK,
    /// is "resumed" (OpenSSL's "Reused"), and a psk_ke one, which has no group, says "none".
    /// </summary>
    public string LogLine() => string.Create(CultureInfo.InvariantCulture,
        $"conn {Id} {Remote} {(Resumed ? "resumed" : "full")} {CipherSuite} {(Group.Length == 0 ? "none" : Group)} tickets={TicketsIssued}");
}
