using System.Security.Cryptography.X509Certificates;
using Tickets.Core.Protocol;
using Tickets.Crypto;

namespace Tickets;

/// <summary>
/// One certificate the server can present, ready to serve: the leaf, its intermediates, the Certificate message built from
/// them once, and the signer for CertificateVerify. The Tickets counterpart of <c>SslStreamCertificateContext</c>: create
/// one per certificate at start-up and hand the same instance out for every handshake (from
/// <see cref="TicketServerOptions.ServerCertificateContext"/> or a
/// <see cref="TicketServerOptions.ServerCertificateSelectionCallback"/>), so no handshake re-encodes the chain or re-imports
/// the key. Safe to use from many connections at once.
/// </summary>
/// <remarks>
/// Whoever creates an instance disposes it, after the last connection that may use it: a context built from
/// <see cref="TicketServerOptions.ServerCertificate"/> or from a certificate passed to its constructor creates and
/// disposes its own; instances you give the options stay yours.
/// </remarks>
public sealed class ServerCertificateContext : IDisposable
{
    private ServerCertificateContext(X509Certificate2 certificate, IEnumerable<X509Certificate2>? chain, CertificateSigner signer)
    {
        Certificate = certificate;
        Chain = chain?.ToArray() ?? [];
        Signer = signer;
        // Every full handshake sends these same bytes: encode them once (RawData even copies on each call).
        EncodedCertificateMessage = CertificateCodec.Encode(new CertificateMessage(
            [], [Certificate.RawData, .. Chain.Select(intermediate => intermediate.RawData)]));
    }

    /// <summary>
    /// A certificate whose private key the <see cref="X509Certificate2"/> holds (ECDSA P-256/P-384/P-521 or RSA).
    /// </summary>
    /// <param name="certificateWithPrivateKey">The leaf certificate, with its private key.</param>
    /// <param name="chain">Intermediate certificates sent after the leaf, in order; none if null.</param>
    /// <exception cref="ArgumentException">The certificate has no private key, or one of a kind we cannot sign with.</exception>
    public static ServerCertificateContext Create(X509Certificate2 certificateWithPrivateKey, IEnumerable<X509Certificate2>? chain = null)
    {
        ArgumentNullException.ThrowIfNull(certificateWithPrivateKey);
        if (!certificateWithPrivateKey.HasPrivateKey)
        {
            throw new ArgumentException("The server certificate needs its private key.", nameof(certificateWithPrivateKey));
        }

        return new ServerCertificateContext(certificateWithPrivateKey, chain, new CertificateSigner(certificateWithPrivateKey));
    }

    /// <summary>
    /// A certificate with its PKCS#8 private key: any key kind we sign with, including those an
    /// <see cref="X509Certificate2"/> cannot hold (RSASSA-PSS, Ed25519, Ed448). The key is proven to belong to the
    /// certificate by one signature; the caller may wipe its copy afterwards.
    /// </summary>
    /// <param name="certificate">The leaf certificate.</param>
    /// <param name="pkcs8PrivateKey">The leaf's private key, PKCS#8 DER.</param>
    /// <param name="chain">Intermediate certificates sent after the leaf, in order; none if null.</param>
    /// <exception cref="ArgumentException">The key does not belong to the certificate, or is of a kind we cannot sign with.</exception>
    public static ServerCertificateContext Create(
        X509Certificate2 certificate, ReadOnlySpan<byte> pkcs8PrivateKey, IEnumerable<X509Certificate2>? chain = null)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return new ServerCertificateContext(certificate, chain, new CertificateSigner(certificate, pkcs8PrivateKey));
    }

    /// <summary>The leaf certificate, sent first in every full handshake.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>Intermediate certificates sent after the leaf, in order.</summary>
    public IReadOnlyList<X509Certificate2> Chain { get; }

    /// <summary>
    /// The signature schemes the key signs CertificateVerify with, most preferred first; a full handshake uses the first
    /// one the client's signature_algorithms lists.
    /// </summary>
    public IReadOnlyList<SignatureScheme> SignatureSchemes => Signer.Schemes;

    /// <summary>The key's kind and size for people: "ECDSA P-256", "RSA 2048", "RSASSA-PSS 3072", "Ed25519".</summary>
    public string KeyDescription => Signer.KeyDescription;

    /// <summary>Our Certificate message (RFC 8446 §4.4.2): the chain, leaf first, with an empty request context.</summary>
    internal byte[] EncodedCertificateMessage { get; }

    /// <summary>Signs CertificateVerify with the certificate's private key.</summary>
    internal CertificateSigner Signer { get; }

    /// <summary>Wipes the private key this instance holds; handshakes that select it afterwards fail.</summary>
    public void Dispose() => Signer.Dispose();
}
