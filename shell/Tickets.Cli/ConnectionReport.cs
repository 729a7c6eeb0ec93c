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

    /// <summary>The client's certificate identity, proven now or restored from the resumed ticket; null without one.</summary>
    public Tickets.Core.Model.PeerIdentity? Peer { get; init; }

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
    };

    /// <summary>
    /// The per-connection log line, e.g. "conn 3 127.0.0.1:51234 full TLS_AES_128_GCM_SHA256 x25519 tickets=2".
    /// The first six fields are fixed so scripts can split on spaces.
    /// </summary>
    public string LogLine() => string.Create(CultureInfo.InvariantCulture,
        $"conn {Id} {Remote} {(Resumed ? "resumed" : "full")} {CipherSuite} {Group} tickets={TicketsIssued}");
}
