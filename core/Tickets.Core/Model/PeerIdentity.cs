namespace Tickets.Core.Model;

/// <summary>
/// The client identity a ticket carries: who presented a certificate and what verifying it concluded.
/// </summary>
/// <remarks>
/// Tickets issued after post-handshake authentication carry the updated identity, which is why the identity is part
/// of each <see cref="TicketToIssue"/> rather than read from the connection when the ticket is sealed.
/// </remarks>
/// <param name="Subject">The certificate subject, as text, for logs and the application.</param>
/// <param name="LeafCertificateDer">The client's end-entity certificate in DER.</param>
/// <param name="Verified">Whether the chain verified under the server's trust settings.</param>
/// <param name="VerificationResult">A short human description of the verification outcome.</param>
public sealed record PeerIdentity(string Subject, Bytes LeafCertificateDer, bool Verified, string VerificationResult);
