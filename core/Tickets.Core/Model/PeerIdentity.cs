using System.Text;

namespace Tickets.Core.Model;

/// <summary>
/// Who the client proved to be: the holder of a certificate (and what verifying its chain concluded), or the holder of
/// an external PSK the server was configured with (<see cref="OfExternalPsk"/>).
/// </summary>
/// <remarks>
/// Tickets issued after post-handshake authentication carry the updated identity, which is why the identity is part
/// of each <see cref="TicketToIssue"/> rather than read from the connection when the ticket is sealed.
/// </remarks>
/// <param name="Subject">The certificate subject, or the external PSK identity as printable text, for logs and the application.</param>
/// <param name="LeafCertificateDer">The client's end-entity certificate in DER; empty for an external PSK.</param>
/// <param name="Verified">
/// Whether the identity is proven: the chain verified under the server's trust settings, or (always) an external PSK,
/// whose binder and Finished only its holder can compute.
/// </param>
/// <param name="VerificationResult">A short human description of the verification outcome.</param>
public sealed record PeerIdentity(string Subject, Bytes LeafCertificateDer, bool Verified, string VerificationResult)
{
    /// <summary>What <see cref="VerificationResult"/> says of an identity proven with an external PSK.</summary>
    public const string ExternalPskResult = "external PSK";

    /// <summary>
    /// The identity of the external PSK the client proved it holds (RFC 8446 §4.2.11), as the ClientHello carried it;
    /// empty for a certificate identity.
    /// </summary>
    public Bytes ExternalPskIdentity { get; init; } = Bytes.Empty;

    /// <summary>Whether the client authenticated with an external PSK rather than a certificate.</summary>
    public bool IsExternalPsk => !ExternalPskIdentity.IsEmpty;

    /// <summary>
    /// The identity of a client that proved it holds the external PSK named <paramref name="identity"/> (non-empty): no
    /// certificate, verified, <see cref="Subject"/> the identity as text (<see cref="PrintableIdentity"/>).
    /// </summary>
    public static PeerIdentity OfExternalPsk(Bytes identity)
    {
        if (identity.IsEmpty)
        {
            throw new ArgumentException("An external PSK identity is at least one byte long.", nameof(identity));
        }

        return new PeerIdentity(PrintableIdentity(identity), Bytes.Empty, true, ExternalPskResult) { ExternalPskIdentity = identity };
    }

    /// <summary>
    /// A PSK identity as text that can go into a log line as it is: printable ASCII other than the backslash stays,
    /// every other byte becomes \xNN, so different identities never read the same ("Client_identity", "id\x00\xff").
    /// </summary>
    public static string PrintableIdentity(Bytes identity)
    {
        var text = new StringBuilder(identity.Length);
        foreach (var octet in identity)
        {
            if (octet is >= 0x21 and <= 0x7E && octet != (byte)'\\')
            {
                text.Append((char)octet);
            }
            else
            {
                text.Append("\\x").Append(octet.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return text.ToString();
    }
}
