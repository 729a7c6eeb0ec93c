using Microsoft.Extensions.Logging;

namespace Tickets.Diagnostics;

/// <summary>
/// Every log event Tickets writes, with its id, level and message template (docs/library.md lists them). Nothing
/// secret is ever an argument; text a peer chose (server names, certificate subjects, error reasons that may quote
/// them) is passed through <see cref="PeerText.Escape(string)"/> by the callers.
/// </summary>
internal static class TicketsLog
{
    // Server events (category Tickets.TicketServer).
    public static readonly Action<ILogger, string, Exception?> Listening = LoggerMessage.Define<string>(
        LogLevel.Information, new EventId(1, "Listening"), "Listening on {EndPoint}");

    public static readonly Action<ILogger, long, string, Exception?> ConnectionAccepted = LoggerMessage.Define<long, string>(
        LogLevel.Debug, new EventId(2, "ConnectionAccepted"), "Connection {ConnectionId} accepted from {RemoteEndPoint}");

    public static readonly Action<ILogger, long, string, string, Exception?> ConnectionRefused = LoggerMessage.Define<long, string, string>(
        LogLevel.Warning, new EventId(3, "ConnectionRefused"), "Connection {ConnectionId} from {RemoteEndPoint} refused: {Reason}");

    public static readonly Action<ILogger, string, Exception?> AcceptFailed = LoggerMessage.Define<string>(
        LogLevel.Debug, new EventId(4, "AcceptFailed"), "Accepting a connection failed: {Reason}");

    public static readonly Action<ILogger, long, string, string, string, Exception?> ConnectionFailed =
        LoggerMessage.Define<long, string, string, string>(
            LogLevel.Warning, new EventId(5, "ConnectionFailed"), "Connection {ConnectionId} from {RemoteEndPoint} failed: {ErrorType}: {Reason}");

    public static readonly Action<ILogger, int, Exception?> Stopping = LoggerMessage.Define<int>(
        LogLevel.Information, new EventId(6, "Stopping"), "Stopping with {OpenConnections} connections open");

    public static readonly Action<ILogger, int, Exception?> ConnectionsAborted = LoggerMessage.Define<int>(
        LogLevel.Warning, new EventId(7, "ConnectionsAborted"), "Shutdown timeout: {Count} connections still open were aborted");

    // Connection events (category Tickets.TicketServerConnection).
    public static readonly Action<ILogger, long, string, string, string, string, double, Exception?> HandshakeCompleted =
        LoggerMessage.Define<long, string, string, string, string, double>(
            LogLevel.Debug, new EventId(10, "HandshakeCompleted"),
            "Connection {ConnectionId} handshake completed: {HandshakeKind} {CipherSuite} group {Group} ALPN {ApplicationProtocol} in {ElapsedMilliseconds} ms");

    public static readonly Action<ILogger, long, string, string, Exception?> ClientIdentified = LoggerMessage.Define<long, string, string>(
        LogLevel.Debug, new EventId(13, "ClientIdentified"), "Connection {ConnectionId} client: server name \"{ServerName}\", certificate {Peer}");

    public static readonly Action<ILogger, long, string, string, string, Exception?> HandshakeFailed =
        LoggerMessage.Define<long, string, string, string>(
            LogLevel.Debug, new EventId(11, "HandshakeFailed"), "Connection {ConnectionId} handshake failed ({Direction} {Alert}): {Reason}");

    public static readonly Action<ILogger, long, string, Exception?> HandshakeAbandoned = LoggerMessage.Define<long, string>(
        LogLevel.Debug, new EventId(12, "HandshakeAbandoned"), "Connection {ConnectionId} handshake abandoned: {Reason}");

    public static readonly Action<ILogger, long, int, string, string, Exception?> TicketsDecided =
        LoggerMessage.Define<long, int, string, string>(
            LogLevel.Debug, new EventId(20, "TicketsDecided"), "Connection {ConnectionId} ticket decision: {Count} tickets ({DecisionReason}: {Explanation})");

    public static readonly Action<ILogger, long, int, string, Exception?> ResumptionVerdict = LoggerMessage.Define<long, int, string>(
        LogLevel.Debug, new EventId(21, "ResumptionVerdict"), "Connection {ConnectionId} offered PSK identity {Index}: {Verdict}");

    public static readonly Action<ILogger, long, string, Exception?> AlertSent = LoggerMessage.Define<long, string>(
        LogLevel.Debug, new EventId(30, "AlertSent"), "Connection {ConnectionId} sent alert {Alert}");

    public static readonly Action<ILogger, long, string, Exception?> AlertReceived = LoggerMessage.Define<long, string>(
        LogLevel.Debug, new EventId(31, "AlertReceived"), "Connection {ConnectionId} received alert {Alert}");

    public static readonly Action<ILogger, long, string, int, Exception?> ClientAuthenticated = LoggerMessage.Define<long, string, int>(
        LogLevel.Debug, new EventId(40, "ClientAuthenticated"),
        "Connection {ConnectionId} post-handshake authentication completed: {Peer}, {TicketCount} tickets");
}
