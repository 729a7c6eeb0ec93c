using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Tickets.Cli;

/// <summary>Loads --cert/--key PEM files: the first certificate is the leaf, any further ones are its chain.</summary>
internal static class PemCertificateLoader
{
    /// <summary>Returns the certificate, or a one-line reason it could not be used.</summary>
    public static (ServerCertificate? Certificate, string? Problem) Load(string certificatePath, string keyPath)
    {
        try
        {
            var leaf = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
            if (!leaf.HasPrivateKey)
            {
                leaf.Dispose();
                return (null, $"{keyPath} holds no private key for {certificatePath}");
            }

            var all = new X509Certificate2Collection();
            all.ImportFromPemFile(certificatePath);
            // CreateFromPemFile takes the first CERTIFICATE block as the leaf; everything after it is the chain.
            var chain = all.Skip(1).ToArray();
            all[0].Dispose();
            return (new ServerCertificate(leaf, chain, $"{certificatePath} (+{chain.Length} chain)"), null);
        }
        catch (Exception error) when (error is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            return (null, $"cannot load certificate {certificatePath} with key {keyPath}: {error.Message}");
        }
    }

    /// <summary>--ca: every certificate in the PEM file becomes a trust anchor; a file without one is refused.</summary>
    public static (IReadOnlyList<X509Certificate2>? Authorities, string? Problem) LoadAuthorities(string path)
    {
        try
        {
            var all = new X509Certificate2Collection();
            all.ImportFromPemFile(path);
            return all.Count == 0 ? (null, $"{path} holds no certificate for --ca") : (all.ToArray(), null);
        }
        catch (Exception error) when (error is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            return (null, $"cannot load --ca {path}: {error.Message}");
        }
    }
}
