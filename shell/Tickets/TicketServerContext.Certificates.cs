using Tickets.Core.Protocol;

namespace Tickets;

/// <summary>Which certificate a full handshake presents: the context's own, or the one a callback picks by server name.</summary>
public sealed partial class TicketServerContext
{
    private readonly ServerCertificateContext? serverCertificate;
    // The certificate this context made from the one it was given, disposed with it; null when the caller owns it.
    private readonly ServerCertificateContext? ownedCertificate;
    private volatile Func<TicketServerConnection, string?, ServerCertificateContext?>? certificateSelection;

    /// <summary>
    /// The certificate served when no <see cref="ServerCertificateSelectionCallback"/> is set; null for a context that
    /// only selects by server name.
    /// </summary>
    public ServerCertificateContext? ServerCertificateContext => serverCertificate;

    /// <summary>
    /// ≈ SSL_CTX_set_tlsext_servername_callback switching certificates: picks the certificate of each handshake by the
    /// server name (SNI) the client sent, null when it sent none (see
    /// <see cref="TicketServerOptions.ServerCertificateSelectionCallback"/>). When set it is asked for every handshake
    /// and <see cref="ServerCertificateContext"/> is not used. Applies to handshakes starting afterwards.
    /// </summary>
    public Func<TicketServerConnection, string?, ServerCertificateContext?>? ServerCertificateSelectionCallback
    {
        get => certificateSelection;
        set => certificateSelection = value;
    }

    /// <summary>
    /// The certificate for <paramref name="connection"/>'s handshake, whose ClientHello named <paramref name="serverName"/>.
    /// A callback that finds none ends the handshake: unrecognized_name when a name was sent (RFC 6066 §3), else
    /// handshake_failure.
    /// </summary>
    internal ServerCertificateContext SelectCertificate(TicketServerConnection connection, string? serverName)
    {
        if (certificateSelection is not { } select)
        {
            return serverCertificate
                ?? throw new TlsAlertException(AlertDescription.HandshakeFailure, "the server has no certificate");
        }

        return select(connection, serverName) ?? throw (serverName is null
            ? new TlsAlertException(AlertDescription.HandshakeFailure, "no certificate for a client that sent no server name")
            : new TlsAlertException(AlertDescription.UnrecognizedName, "no certificate for the server name the client asked for"));
    }
}
