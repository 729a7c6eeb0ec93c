using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Tickets.Cli;

/// <summary>
/// The certificate used when no --cert/--key is given: self-signed ECDSA P-256 for "localhost" and 127.0.0.1 (+ ::1).
/// It is made on first use and cached as a password-less PKCS#12 file (mode 0600) in a directory of mode 0700,
/// $XDG_DATA_HOME/tickets/default.pfx (~/.local/share/tickets/default.pfx when unset), so the fingerprint a user
/// pinned stays the same across runs. When the cache cannot be read or written, a fresh one is made for this run only.
/// </summary>
/// <remarks>
/// The file holds the key the server proves itself with, so it is trusted only when nobody else could have written it:
/// the directory must be ours (a directory of ours that others can reach is made 0700 again), and the file must be
/// ours with no group or other permission; otherwise it is replaced by a fresh certificate. A directory owned by
/// someone else is not used at all.
/// </remarks>
internal static class DefaultCertificate
{
    private const string SubjectName = "CN=localhost, O=tickets default certificate";

    // Regenerate this long before expiry so a cached certificate never expires during a run.
    private static readonly TimeSpan Validity = TimeSpan.FromDays(365);
    private static readonly TimeSpan RenewBefore = TimeSpan.FromDays(7);

    public static ServerCertificate LoadOrCreate() => LoadOrCreate(CachePath());

    /// <summary>The certificate cached at <paramref name="path"/> if it can be trusted, else a new one cached there; null: not cached.</summary>
    internal static ServerCertificate LoadOrCreate(string? path)
    {
        if (path is not null && PrivateDirectory(Path.GetDirectoryName(path)!) is { } unusable)
        {
            return new ServerCertificate(Create(), [], $"default self-signed localhost (new, not cached: {unusable})");
        }

        string? replaced = null;
        if (path is not null && File.Exists(path) && PrivateFiles.WhyNotPrivate(path) is { } untrusted)
        {
            // Someone else could have put a certificate there whose key they know: never serve it.
            replaced = $", replacing {path}: {untrusted}";
        }
        else if (path is not null && TryLoad(path) is { } cached)
        {
            return new ServerCertificate(cached, [], $"default self-signed localhost (cached at {path})");
        }

        var created = Create();
        if (path is not null && TrySave(created, path))
        {
            return new ServerCertificate(created, [], $"default self-signed localhost (new, cached at {path}{replaced})");
        }

        return new ServerCertificate(created, [], $"default self-signed localhost (new, not cached{replaced})");
    }

    /// <summary>
    /// Makes <paramref name="directory"/> exist with mode 0700 (and makes an existing one of ours 0700 again); says why
    /// it cannot be used when it belongs to another user. Null when it is ours and private now.
    /// </summary>
    private static string? PrivateDirectory(string directory)
    {
        try
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(directory);
                return null;
            }

            if (!Directory.Exists(directory))
            {
                // The mode is applied at creation (under the umask, which can only remove bits), then set exactly.
                Directory.CreateDirectory(directory, PrivateFiles.OwnerOnlyDirectory);
                File.SetUnixFileMode(directory, PrivateFiles.OwnerOnlyDirectory);
                return null;
            }

            if (PrivateFiles.OwnerOf(directory) is { } owner && owner != PrivateFiles.CurrentUser())
            {
                return $"{directory} belongs to user {owner}";
            }

            if ((File.GetUnixFileMode(directory) & PrivateFiles.SharedBits) != 0)
            {
                File.SetUnixFileMode(directory, PrivateFiles.OwnerOnlyDirectory);
            }

            return null;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return $"{directory} cannot be made private: {error.Message}";
        }
    }

    /// <summary>$XDG_DATA_HOME/tickets/default.pfx, or ~/.local/share/tickets/default.pfx; null when no home is known.</summary>
    public static string? CachePath()
    {
        var dataHome = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        if (string.IsNullOrEmpty(dataHome) || !Path.IsPathRooted(dataHome))
        {
            // The XDG spec says relative values are invalid and must be ignored.
            var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            if (string.IsNullOrEmpty(home))
            {
                return null;
            }

            dataHome = Path.Combine(home, ".local", "share");
        }

        return Path.Combine(dataHome, "tickets", "default.pfx");
    }

    public static X509Certificate2 Create()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(SubjectName, key, HashAlgorithmName.SHA256);

        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1", "Server Authentication")], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));

        // Backdate a little so a client whose clock is slightly behind still accepts it.
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddMinutes(-5), now.Add(Validity));
    }

    private static X509Certificate2? TryLoad(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            var certificate = X509CertificateLoader.LoadPkcs12FromFile(path, password: null, X509KeyStorageFlags.Exportable);
            if (certificate.HasPrivateKey && certificate.NotAfter.ToUniversalTime() - RenewBefore > DateTime.UtcNow
                && certificate.GetECDsaPrivateKey() is { } key)
            {
                key.Dispose();
                return certificate;
            }

            certificate.Dispose();
            return null;
        }
        catch (Exception error) when (error is CryptographicException or IOException or UnauthorizedAccessException)
        {
            // A damaged or unreadable cache is replaced, not fatal.
            return null;
        }
    }

    private static bool TrySave(X509Certificate2 certificate, string path)
    {
        try
        {
            var directory = Path.GetDirectoryName(path)!;
            var bytes = certificate.Export(X509ContentType.Pkcs12);

            // Write beside the target and rename, so a concurrent start never reads half a file.
            var temporary = Path.Combine(directory, $".default.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
            var fileOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                // The file holds a private key: owner-only.
                fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var stream = new FileStream(temporary, fileOptions))
            {
                stream.Write(bytes);
            }

            File.Move(temporary, path, overwrite: true);
            return true;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or CryptographicException)
        {
            return false;
        }
    }
}
