using System.Security.Cryptography.X509Certificates;

namespace Tickets.Authentication;

/// <summary>
/// The context's client-certificate settings as one immutable snapshot, taken when a CertificateRequest is sent, so a
/// change on the context never affects a request already in flight.
/// </summary>
/// <param name="Mode">Ask or require (or neither, for the handshake).</param>
/// <param name="TrustAnchors">The only roots a client chain may end in (--ca); empty means nothing verifies.</param>
/// <param name="Context">
/// Both as the core sees them: what tickets issued under this policy are bound to, and what a ticket must have been
/// issued under to resume while it holds.
/// </param>
/// <param name="Revocation">Revocation checking; NoCheck unless the operator turned it on (Online fetches CRLs and OCSP).</param>
internal sealed record ClientAuthenticationPolicy(
    ClientCertificateMode Mode,
    IReadOnlyList<X509Certificate2> TrustAnchors,
    Core.Model.AuthenticationContext Context,
    X509RevocationMode Revocation = X509RevocationMode.NoCheck)
{
    public bool Required => Mode == ClientCertificateMode.Require;
}
