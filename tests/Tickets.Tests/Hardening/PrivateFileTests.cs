using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using Tickets.Cli;
using Tickets.Tests.Interop;

namespace Tickets.Tests.Hardening;

/// <summary>
/// Finding 13, the file parts: the default certificate's cache holds the server's private key, so its directory is
/// created 0700 and a cached file is used only when the user running tickets owns it and nobody else can reach it
/// (otherwise it is replaced); the Redis password file is refused when others can read it, like the fleet's KEK file.
/// </summary>
[Trait("Category", TestCategory.Unit)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class PrivateFileTests
{
    private const UnixFileMode Everyone = (UnixFileMode)0b111_111_111;

    private static string CachePath() => Path.Combine(InteropPaths.NewDirectory("private-files"), "tickets", "default.pfx");

    [Fact]
    public void The_cache_directory_is_created_0700_and_the_file_0600()
    {
        var path = CachePath();
        using var created = DefaultCertificate.LoadOrCreate(path);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(path)!));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        using var again = DefaultCertificate.LoadOrCreate(path);
        Assert.Equal(created.Sha256Fingerprint, again.Sha256Fingerprint);
    }

    [Fact]
    public void An_existing_cache_directory_others_can_reach_is_made_0700_again()
    {
        var path = CachePath();
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.SetUnixFileMode(Path.GetDirectoryName(path)!, Everyone);

        using var loaded = DefaultCertificate.LoadOrCreate(path);
        Assert.Equal((UnixFileMode)0, File.GetUnixFileMode(Path.GetDirectoryName(path)!) & PrivateFiles.SharedBits);
    }

    [Fact]
    public void A_cached_certificate_others_could_have_written_is_replaced_not_served()
    {
        var path = CachePath();
        using (var genuine = DefaultCertificate.LoadOrCreate(path))
        {
        }

        // Someone with write access plants a certificate whose key they know, in a world-writable file.
        using var planted = DefaultCertificate.Create();
        File.WriteAllBytes(path, planted.Export(X509ContentType.Pkcs12));
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite);

        using var served = DefaultCertificate.LoadOrCreate(path);
        Assert.NotEqual(ServerCertificate.FormatFingerprint(planted.GetCertHash(System.Security.Cryptography.HashAlgorithmName.SHA256)), served.Sha256Fingerprint);
        Assert.Contains("replacing", served.Origin, StringComparison.Ordinal);
        Assert.Contains("other users have access", served.Origin, StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }

    [Fact]
    public void A_file_owned_by_another_user_is_not_private_whatever_its_mode()
    {
        Assert.Equal(PrivateFiles.CurrentUser(), PrivateFiles.OwnerOf(CachePath() is var path && Directory.CreateDirectory(Path.GetDirectoryName(path)!) is { } directory ? directory.FullName : ""));

        // As root, give a private file to 'nobody'; as anyone else, "/" already belongs to someone else (root).
        string foreign;
        if (PrivateFiles.CurrentUser() == 0)
        {
            foreign = Path.Combine(InteropPaths.NewDirectory("private-files"), "foreign.pfx");
            File.WriteAllBytes(foreign, [1, 2, 3]);
            File.SetUnixFileMode(foreign, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            using var chown = Process.Start("chown", ["65534", foreign]);
            chown.WaitForExit();
            Assert.Equal(0, chown.ExitCode);
        }
        else
        {
            foreign = "/";
        }

        Assert.NotEqual(PrivateFiles.CurrentUser(), PrivateFiles.OwnerOf(foreign));
        Assert.Contains("owned by user", PrivateFiles.WhyNotPrivate(foreign), StringComparison.Ordinal);
    }

    [Fact]
    public void A_redis_password_file_others_can_read_is_refused()
    {
        var path = Path.Combine(InteropPaths.NewDirectory("private-files"), "redis-password");
        File.WriteAllText(path, "s3cret\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var (password, problem) = FleetSettings.LoadRedisPassword(ServeOptions.Defaults with { RedisEndpoint = "h:1", RedisPasswordPath = path });
        Assert.Null(password);
        Assert.Equal($"redis password file '{path}' is accessible to other users; chmod 600 '{path}'", problem);

        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Assert.Equal("s3cret", FleetSettings.LoadRedisPassword(ServeOptions.Defaults with { RedisEndpoint = "h:1", RedisPasswordPath = path }).Password);
    }
}
