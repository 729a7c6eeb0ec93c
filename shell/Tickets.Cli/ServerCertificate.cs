using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Tickets;

namespace Tickets.Cli;

/// <summary>
/// The certificate `tickets serve` presents: a leaf, the rest of the chain, where it came from, and its private key,
/// held either by the leaf (the default certificate) or as PKCS#8 bytes (--key, any key kind).
/// </summary>
internal sealed class ServerCertificate(X509Certificate2 leaf, IReadOnlyList<X509Certificate2> chain, string origin, byte[]? pkcs8PrivateKey = null) : IDisposable
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

    /// <summary>The server context for this certificate, or why the key cannot serve it (e.g. it belongs to another certificate).</summary>
    public (TicketServerContext? Context, string? Problem) CreateContext()
    {
        try
        {
            return pkcs8PrivateKey is null
                ? (new TicketServerContext(Leaf, Chain), null)
                : (new TicketServerContext(Leaf, pkcs8PrivateKey, Chain), null);
        }
        catch (Exception error) when (error is ArgumentException or CryptographicException)
        {
            return (null, $"cannot serve {Origin}: {error.Message}");
        }
    }

    public void Dispose()
    {
        Leaf.Dispose();
        foreach (var certificate in Chain)
        {
            certificate.Dispose();
        }

        if (pkcs8PrivateKey is not null)
        {
            CryptographicOperations.ZeroMemory(pkcs8PrivateKey);
        }
    }
}
