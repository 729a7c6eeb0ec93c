namespace Tickets.Core.Model;

/// <summary>
/// The client-authentication settings a session was established under, and that a server runs under now: the
/// requirement and the set of trust anchors client chains must end in. A ticket carries the context it was issued
/// under and resumes only where the context is the same, as OpenSSL's session id context and nginx's hash of its
/// client-CA settings make sessions resume only where they were made.
/// </summary>
/// <remarks>
/// The core never looks inside <paramref name="TrustAnchorsDigest"/>: it only compares it. The shell computes it
/// (the core has no cryptography) so that the same set of anchors gives the same digest on every restart and every
/// member of a fleet, whatever the order of the certificates in the CA file (see docs/security.md for the exact
/// definition).
/// </remarks>
/// <param name="Requirement">Whether full handshakes ask for, require, or skip a client certificate.</param>
/// <param name="TrustAnchorsDigest">A digest of the trust anchors' identities, in lowercase hexadecimal.</param>
public sealed record AuthenticationContext(ClientCertificateRequirement Requirement, string TrustAnchorsDigest)
{
    /// <summary>Whether only a client holding a verified certificate may be served.</summary>
    public bool RequiresVerifiedClient => Requirement == ClientCertificateRequirement.Require;
}
