using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Tickets.Tests.Engine;

/// <summary>Self-signed server certificates for localhost, made once per test run.</summary>
internal static class TestCertificates
{
    private static readonly Lazy<X509Certificate2> P256 = new(() => Ecdsa(ECCurve.NamedCurves.nistP256, HashAlgorithmName.SHA256));
    private static readonly Lazy<X509Certificate2> P384 = new(() => Ecdsa(ECCurve.NamedCurves.nistP384, HashAlgorithmName.SHA384));
    private static readonly Lazy<X509Certificate2> Rsa2048 = new(Rsa);

    public static X509Certificate2 EcdsaP256 => P256.Value;

    public static X509Certificate2 EcdsaP384 => P384.Value;

    public static X509Certificate2 RsaPss => Rsa2048.Value;

    private static X509Certificate2 Ecdsa(ECCurve curve, HashAlgorithmName hash)
    {
        using var key = ECDsa.Create(curve);
        var request = new CertificateRequest("CN=localhost", key, hash);
        return SelfSign(request);
    }

    private static X509Certificate2 Rsa()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return SelfSign(request);
    }

    private static X509Certificate2 SelfSign(CertificateRequest request)
    {
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
    }
}
