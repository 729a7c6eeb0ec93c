using Tickets.Core.Protocol;

namespace Tickets;

/// <summary>
/// The handshake failed. By the time this is thrown the alert has been sent (when the transport still
/// worked) and the connection is closed.
/// </summary>
public sealed class TlsHandshakeException : IOException
{
    /// <summary>A failed handshake, with the alert that ended it.</summary>
    /// <param name="alert">The alert sent to the peer, or received from it.</param>
    /// <param name="message">What went wrong, in words; it becomes part of <see cref="Exception.Message"/>.</param>
    /// <param name="inner">The exception that caused the failure, if any.</param>
    public TlsHandshakeException(AlertDescription alert, string message, Exception? inner = null)
        : base($"TLS handshake failed ({alert}): {message}", inner)
    {
        Alert = alert;
    }

    /// <summary>The alert we sent to the peer, or the one the peer sent us.</summary>
    public AlertDescription Alert { get; }

    /// <summary>True when the peer aborted with its own alert rather than us rejecting its messages.</summary>
    public bool SentByPeer { get; init; }
}
