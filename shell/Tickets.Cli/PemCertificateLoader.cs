using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Tickets.Cli;

/// <summary>
/// Loads --cert/--key PEM files: the first certificate is the leaf, any further ones are its chain; the key may be
/// PKCS#8 ("PRIVATE KEY", any kind the server signs with), SEC1 ("EC PRIVATE KEY") or PKCS#1 ("RSA PRIVATE KEY"), as
/// openssl writes them. Whether the key belongs to the leaf is checked when the server context is made.
/// </summary>
internal static class PemCertificateLoader
{
    /// <summary>Returns the certificate, or a one-line reason it could not be used.</summary>
    public static (ServerCertificate? Certificate, string? Problem) Load(string certificatePath, string keyPath)
    {
        try
        {
            var all = new X509Certificate2Collection();
            all.ImportFromPemFile(certificatePath);
            if (all.Count == 0)
            {
                return (null, $"{certificatePath} holds no certificate");
            }

            var (key, problem) = ReadPrivateKey(File.ReadAllText(keyPath));
            if (key is null)
            {
                foreach (var certificate in all)
                {
                    certificate.Dispose();
                }

                return (null, $"{keyPath}: {problem}");
            }

            var chain = all.Skip(1).ToArray();
            return (new ServerCertificate(all[0], chain, $"{certificatePath} (+{chain.Length} chain)", key), null);
        }
        catch (Exception error) when (error is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            return (null, $"cannot load certificate {certificatePath} with key {keyPath}: {error.Message}");
        }
    }

    /// <summary>The first private key in the PEM text, as PKCS#8; other blocks (EC PARAMETERS, certificates) are passed over.</summary>
    internal static (byte[]? Pkcs8, string? Problem) ReadPrivateKey(string pem)
    {
        var rest = pem.AsMemory();
        while (PemEncoding.TryFind(rest.Span, out var fields))
        {
            var label = rest.Span[fields.Label].ToString();
            var der = Convert.FromBase64String(rest.Span[fields.Base64Data].ToString());
            rest = rest[fields.Location.End..];
            try
            {
                switch (label)
                {
                    case "PRIVATE KEY":
                        return (der, null);
                    case "EC PRIVATE KEY":
                    {
                        using var ecdsa = ECDsa.Create();
                        ecdsa.ImportECPrivateKey(der, out _);
                        return (ecdsa.ExportPkcs8PrivateKey(), null);
                    }
                    case "RSA PRIVATE KEY":
                    {
                        using var rsa = RSA.Create();
                        rsa.ImportRSAPrivateKey(der, out _);
                        return (rsa.ExportPkcs8PrivateKey(), null);
                    }
                    case "ENCRYPTED PRIVATE KEY":
                        return (null, "the private key is encrypted; write a plain copy with `openssl pkey -in KEY -out PLAIN` (keep it mode 0600)");
                }
            }
            finally
            {
                if (label != "PRIVATE KEY")
                {
                    CryptographicOperations.ZeroMemory(der);
                }
            }
        }

        return (null, "no PRIVATE KEY, EC PRIVATE KEY or RSA PRIVATE KEY block found");
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
