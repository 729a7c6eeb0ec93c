using Tickets.Core.Model;

namespace Tickets.Cli;

/// <summary>How a client identity appears on the log and on the --www page.</summary>
internal static class PeerDescription
{
    /// <summary>
    /// subject="CN=alice" verified=yes result="ok"; external PSK identity="Client_identity" for the holder of an
    /// external PSK (the identity in printable form); or "none" for a client without an identity. The client chose its
    /// subject or identity, and the result can quote its chain: all are escaped, so a newline or a quote in them can
    /// neither start a forged log line nor close the quoted field and add a forged "verified=yes".
    /// </summary>
    public static string Of(PeerIdentity? peer) => peer switch
    {
        null => "none",
        { IsExternalPsk: true } => $"external PSK identity=\"{PeerText.Escape(peer.Subject)}\"",
        _ => $"subject=\"{PeerText.Escape(peer.Subject)}\" verified={(peer.Verified ? "yes" : "no")} result=\"{PeerText.Escape(peer.VerificationResult)}\"",
    };

    /// <summary>The log line for a completed post-handshake authentication.</summary>
    public static string Authenticated(long id, Tickets.ClientAuthenticationResult result) =>
        $"conn {id} client-auth {(result.Peer is null ? "declined (empty Certificate)" : Of(result.Peer))} tickets={result.Tickets.Count}";
}
