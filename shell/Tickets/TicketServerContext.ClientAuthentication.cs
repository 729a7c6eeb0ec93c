using System.Security.Cryptography.X509Certificates;
using Tickets.Authentication;

namespace Tickets;

/// <summary>Client certificates: whether the handshake asks for one, and which CAs a client chain must end in.</summary>
public sealed partial class TicketServerContext
{
    private ClientCertificateMode clientCertificateMode = ClientCertificateMode.None;
    private IReadOnlyList<X509Certificate2> clientCertificateAuthorities = [];
    private Core.Model.AuthenticationContext authenticationContext =
        AuthenticationContexts.Of(ClientCertificateMode.None, []);

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
            var next = AuthenticationContexts.Requirement(value);
            lock (gate)
            {
                clientCertificateMode = value;
                authenticationContext = authenticationContext with { Requirement = next };
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
            var anchors = value.ToArray();
            // Computed once per change, not per handshake: a CA bundle can hold hundreds of certificates.
            var digest = AuthenticationContexts.TrustAnchorsDigest(anchors);
            lock (gate)
            {
                clientCertificateAuthorities = anchors;
                authenticationContext = authenticationContext with { TrustAnchorsDigest = digest };
            }
        }
    }

    /// <summary>
    /// The context tickets are bound to now: the mode and a digest of the trust anchors (see
    /// <see cref="AuthenticationContexts"/>). A ticket issued under another one (another mode, other anchors, another
    /// server or an earlier configuration) gets a full handshake instead of resuming.
    /// </summary>
    public Core.Model.AuthenticationContext AuthenticationContext
    {
        get
        {
            lock (gate)
            {
                return authenticationContext;
            }
        }
    }

    private X509RevocationMode clientCertificateRevocationMode = X509RevocationMode.NoCheck;

    /// <summary>
    /// Whether a client chain's revocation is checked: <see cref="X509RevocationMode.NoCheck"/> (the default, as
    /// s_server without -crl_check), <see cref="X509RevocationMode.Offline"/> (CRLs already cached on this machine only),
    /// or <see cref="X509RevocationMode.Online"/>, which fetches CRLs and OCSP answers from the URLs the client's
    /// certificates name. Online costs network requests a client can point anywhere; they happen only after the client
    /// proved its key and never on a socket thread, but each verifying handshake still waits for them. Missing
    /// intermediates are never downloaded, whatever this says.
    /// </summary>
    public X509RevocationMode ClientCertificateRevocationMode
    {
        get
        {
            lock (gate)
            {
                return clientCertificateRevocationMode;
            }
        }

        set
        {
            if (!Enum.IsDefined(value))
            {
                throw new ArgumentOutOfRangeException(nameof(value));
            }

            lock (gate)
            {
                clientCertificateRevocationMode = value;
            }
        }
    }

    /// <summary>The settings at once, for a CertificateRequest about to be sent.</summary>
    internal ClientAuthenticationPolicy ClientAuthentication
    {
        get
        {
            lock (gate)
            {
                return new ClientAuthenticationPolicy(
                    clientCertificateMode, clientCertificateAuthorities, authenticationContext, clientCertificateRevocationMode);
            }
        }
    }
}
