using System.Security.Cryptography.X509Certificates;
using Tickets.Authentication;

namespace Tickets;

/// <summary>Client certificates: whether the handshake asks for one, and which CAs a client chain must end in.</summary>
public sealed partial class TicketServerContext
{
    private ClientCertificateMode clientCertificateMode = ClientCertificateMode.None;
    private IReadOnlyList<X509Certificate2> clientCertificateAuthorities = [];

    /// <summary>≈ SSL_CTX_set_verify: asks for (or requires) a client certificate in full handshakes from now on.</summary>
    public ClientCertificateMode ClientCertificateMode
    {
        get
        {
            lock (gate)
            {
                return clientCertificateMode;
            }
        }

        set
        {
            lock (gate)
            {
                clientCertificateMode = value;
            }
        }
    }

    /// <summary>
    /// ≈ SSL_CTX_load_verify_locations: the trust anchors for client chains, and the only ones (the system store is
    /// not consulted). Empty means no client certificate verifies; its result then says so.
    /// </summary>
    public IReadOnlyList<X509Certificate2> ClientCertificateAuthorities
    {
        get
        {
            lock (gate)
            {
                return clientCertificateAuthorities;
            }
        }

        set
        {
            ArgumentNullException.ThrowIfNull(value);
            lock (gate)
            {
                clientCertificateAuthorities = value.ToArray();
            }
        }
    }

    /// <summary>Both settings at once, for a CertificateRequest about to be sent.</summary>
    internal ClientAuthenticationPolicy ClientAuthentication
    {
        get
        {
            lock (gate)
            {
                return new ClientAuthenticationPolicy(clientCertificateMode, clientCertificateAuthorities);
            }
        }
    }
}
