using Tickets.Core.Protocol;

namespace Tickets.Records;

/// <summary>Interprets an alert record the peer sent (RFC 8446 §6), read with the core's <see cref="AlertCodec"/>.</summary>
internal static class AlertRecord
{
    /// <summary>
    /// The exception that ends the connection for a received alert: a well-formed alert (closure or error)
    /// means the peer is gone; a malformed one is our decode_error to report.
    /// </summary>
    public static Exception ToException(ReadOnlySpan<byte> content) =>
        AlertCodec.Decode(content).Match<Exception>(
            Succ: alert => new PeerAlertException(alert.Description),
            Fail: TlsAlertException.From);

    /// <summary>Whether the record is a well-formed close_notify, whatever level the peer gave it.</summary>
    public static bool IsCloseNotify(ReadOnlySpan<byte> content) =>
        AlertCodec.Decode(content).Exists(alert => alert.Description == AlertDescription.CloseNotify);
}
