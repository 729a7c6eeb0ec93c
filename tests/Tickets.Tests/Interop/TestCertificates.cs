using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Tickets.Tests.Interop;

/// <summary>
/// PEM files made once per test run: a test CA and an ECDSA P-256 leaf for localhost/127.0.0.1 issued by it.
/// openssl s_server (the reference) serves the leaf; `tickets serve --cert chain.pem --key key.pem` serves leaf + CA,
/// which exercises the "further certificates in the file are the chain" rule.
/// </summary>
public sealed class TestCertificates
{
    private static readonly Lazy<TestCertificates> Shared = new(Create);

    private TestCertificates(string directory, byte[] leafDer, byte[] caDer)
    {
        LeafPem = Path.Combine(directory, "leaf.pem");
        ChainPem = Path.Combine(directory, "chain.pem");
        KeyPem = Path.Combine(directory, "key.pem");
        LeafDer = leafDer;
        CaDer = caDer;
    }

    public static TestCertificates Instance => Shared.Value;

    /// <summary>The leaf certificate alone.</summary>
    public string LeafPem { get; }

    /// <summary>Leaf then CA.</summary>
    public string ChainPem { get; }

    /// <summary>The leaf's private key (PKCS#8).</summary>
    public string KeyPem { get; }

    public byte[] LeafDer { get; }

    public byte[] CaDer { get; }

    private static TestCertificates Create()
    {
        var directory = InteropPaths.NewDirectory("certificates");
        var now = DateTimeOffset.UtcNow;

        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=tickets interop test CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        using var ca = caRequest.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(2));

        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var leafRequest = new CertificateRequest("CN=localhost", leafKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        leafRequest.CertificateExtensions.Add(names.Build());
        leafRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        leafRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        using var leaf = leafRequest.Create(ca, now.AddMinutes(-5), now.AddDays(1), RandomNumberGenerator.GetBytes(12));

        var certificates = new TestCertificates(directory, leaf.RawData, ca.RawData);
        File.WriteAllText(certificates.LeafPem, leaf.ExportCertificatePem() + "\n");
        File.WriteAllText(certificates.ChainPem, leaf.ExportCertificatePem() + "\n" + ca.ExportCertificatePem() + "\n");
        File.WriteAllText(certificates.KeyPem, leafKey.ExportPkcs8PrivateKeyPem() + "\n");
        return certificates;
    }
}
