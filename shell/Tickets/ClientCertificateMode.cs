namespace Tickets;

/// <summary>
/// Whether the server asks for a client certificate during the handshake, in the manner of OpenSSL's
/// SSL_CTX_set_verify (s_server's -verify and -Verify).
/// </summary>
public enum ClientCertificateMode
{
    /// <summary>No CertificateRequest in the handshake (the default). Post-handshake authentication can still be asked for.</summary>
    None,

    /// <summary>
    /// Ask (SSL_VERIFY_PEER, s_server -verify): the client may send no certificate; a chain that does not verify is
    /// accepted and its verification result kept with the identity.
    /// </summary>
    Request,

    /// <summary>
    /// Require (SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, s_server -Verify -verify_return_error): no
    /// certificate ends the handshake with certificate_required, and a chain that does not verify with the alert for
    /// its problem. Applies to post-handshake authentication too, as in OpenSSL.
    /// </summary>
    Require,
}
