using System.Security.Cryptography.X509Certificates;
using Tickets.Cli;

namespace Tickets.Tests.Cli;

[Trait("Category", TestCategory.Unit)]
public sealed class DefaultCertificateTests
{
    [Fact]
    public void The_default_certificate_is_ecdsa_p256_for_localhost_with_its_key()
    {
        using var certificate = DefaultCertificate.Create();
        Assert.True(certificate.HasPrivateKey);
        using var key = certificate.GetECDsaPrivateKey();
        Assert.NotNull(key);
        Assert.Equal(256, key.KeySize);
        var names = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Contains("localhost", names.EnumerateDnsNames());
        Assert.Contains(System.Net.IPAddress.Loopback, names.EnumerateIPAddresses());
        Assert.True(certificate.NotAfter > DateTime.Now.AddDays(300));
    }

    [Fact]
    public void The_fingerprint_is_colon_separated_uppercase_hex() =>
        Assert.Equal("00:AB:FF", ServerCertificate.FormatFingerprint([0x00, 0xAB, 0xFF]));
}
