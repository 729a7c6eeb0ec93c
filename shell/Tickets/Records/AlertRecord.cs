using Tickets.Core.Protocol;

namespace Tickets.Records;

/// <summary>Interprets an alert record the peer sent (RFC 8446 §6).</summary>
internal static class AlertRecord
{
    /// <summary>
    /// The exception that ends the connection for a received alert: a well-formed alert (closure or error)
    /// means the peer is gone; a malformed one is our decode_error to report.
    /// </summary>
    public static Exception ToException(ReadOnlySpan<byte> content)
    {
        if (content.Length != 2)
        {
            return new TlsAlertException(AlertDescription.DecodeError, "alert record is not two bytes");
        }

        return new PeerAlertException((AlertDescription)content[1]);
    }

    public static bool IsCloseNotify(ReadOnlySpan<byte> content) =>
        content.Length == 2 && content[1] == (byte)AlertDescription.CloseNotify;
}
