namespace Tickets.Core.Model;

/// <summary>
/// What a server demands of a client's certificate in a full handshake, as the core sees it: the shell's
/// ClientCertificateMode (OpenSSL's SSL_CTX_set_verify) without anything that needs X.509 to understand.
/// </summary>
public enum ClientCertificateRequirement
{
    /// <summary>No CertificateRequest in the handshake.</summary>
    None,

    /// <summary>A certificate is asked for; a client may send none, and a chain that does not verify is recorded as such.</summary>
    Request,

    /// <summary>A certificate that verifies under the server's trust anchors is required.</summary>
    Require,
}
