namespace Tickets;

/// <summary>Whether the handshake used one of the server's external PSKs (see <see cref="TicketServerContext.FindExternalPsk"/>).</summary>
public sealed partial class TicketServerConnection
{
    /// <summary>
    /// True when the client authenticated with an external PSK in this handshake: <see cref="Resumed"/> is true too (a
    /// PSK handshake, "Reused" in OpenSSL's words) and <see cref="PeerIdentity"/> names the PSK's identity. False for a
    /// ticket or a full handshake, and before the handshake completed.
    /// </summary>
    public bool UsedExternalPsk => session?.ExternalPsk ?? false;
}
