using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Tickets.Cli;

/// <summary>The certificate `tickets serve` presents: a leaf with its private key, the rest of the chain, and where it came from.</summary>
internal sealed class ServerCertificate(X509Certificate2 leaf, IReadOnlyList<X509Certificate2> chain, string origin) : IDisposable
{
    public X509Certificate2 Leaf { get; } = leaf;

    /// <summary>Intermediates sent after the leaf, in file order.</summary>
    public IReadOnlyList<X509Certificate2> Chain { get; } = chain;

    /// <summary>Human description for the start line, e.g. "default self-signed localhost (cached at ...)".</summary>
    public string Origin { get; } = origin;

    /// <summary>SHA-256 of the leaf's DER, as colon-separated hex pairs: the form browsers and `openssl x509 -fingerprint -sha256` show.</summary>
    public string Sha256Fingerprint => FormatFingerprint(Leaf.GetCertHash(HashAlgorithmName.SHA256));

    public static string FormatFingerprint(ReadOnlySpan<byte> hash) =>
        string.Join(':', hash.ToArray().Select(b => b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture)));

    public void Dispose()
    {
        Leaf.Dispose();
        foreach (var certificate in Chain)
        {
            certificate.Dispose();
        }
    }
}
