using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Math.EC.Rfc8032;

namespace Tickets.Tests.Crypto;

/// <summary>A certificate for localhost issued by <see cref="CertificateKeys.Issuer"/>, with its private key as PKCS#8.</summary>
internal sealed record KeyedCertificate(string Kind, X509Certificate2 Certificate, byte[] Pkcs8);

/// <summary>
/// Certificates of every key kind the server signs with, made in-process: ECDSA and RSA keys by the base library,
/// RSASSA-PSS, Ed25519 and Ed448 ones (which X509Certificate2 cannot hold) as raw SubjectPublicKeyInfo and PKCS#8
/// (RFC 8410, RFC 4055), issued by an ECDSA CA so chains verify. Made once per kind per test run.
/// </summary>
internal static class CertificateKeys
{
    public const string RsaPssOid = "1.2.840.113549.1.1.10";

    /// <summary>Every kind <see cref="Get"/> knows.</summary>
    public static readonly string[] Kinds = ["p256", "p384", "p521", "rsa", "rsa-pss", "rsa-pss-sha384-only", "ed25519", "ed448"];

    private static readonly Lazy<(X509Certificate2 Certificate, ECDsa Key)> LazyIssuer = new(() =>
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=tickets key kinds CA", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        var now = DateTimeOffset.UtcNow;
        return (request.CreateSelfSigned(now.AddDays(-2), now.AddDays(30)), key);
    });

    private static readonly Dictionary<string, Lazy<KeyedCertificate>> Made =
        Kinds.ToDictionary(kind => kind, kind => new Lazy<KeyedCertificate>(() => Make(kind)));

    public static X509Certificate2 Issuer => LazyIssuer.Value.Certificate;

    public static KeyedCertificate Get(string kind) => Made[kind].Value;

    private static KeyedCertificate Make(string kind)
    {
        switch (kind)
        {
            case "p256" or "p384" or "p521":
            {
                using var ecdsa = ECDsa.Create(kind switch
                {
                    "p256" => ECCurve.NamedCurves.nistP256,
                    "p384" => ECCurve.NamedCurves.nistP384,
                    _ => ECCurve.NamedCurves.nistP521,
                });
                return Issue(kind, new PublicKey(ecdsa), ecdsa.ExportPkcs8PrivateKey());
            }
            case "rsa":
            {
                using var rsa = RSA.Create(2048);
                return Issue(kind, new PublicKey(rsa), rsa.ExportPkcs8PrivateKey());
            }
            case "rsa-pss" or "rsa-pss-sha384-only":
            {
                using var rsa = RSA.Create(2048);
                var parameters = kind == "rsa-pss" ? null : PssParameters("2.16.840.1.101.3.4.2.2", 48);
                var key = new PublicKey(new Oid(RsaPssOid), parameters is null ? null : new AsnEncodedData(parameters), new AsnEncodedData(rsa.ExportRSAPublicKey()));
                return Issue(kind, key, Pkcs8(RsaPssOid, parameters, rsa.ExportRSAPrivateKey()));
            }
            case "ed25519":
            {
                var secret = RandomNumberGenerator.GetBytes(Ed25519.SecretKeySize);
                var publicKey = new byte[Ed25519.PublicKeySize];
                Ed25519.GeneratePublicKey(secret, publicKey);
                return Issue(kind, new PublicKey(new Oid("1.3.101.112"), null, new AsnEncodedData(publicKey)), Pkcs8("1.3.101.112", null, OctetString(secret)));
            }
            default:
            {
                var secret = RandomNumberGenerator.GetBytes(Ed448.SecretKeySize);
                var publicKey = new byte[Ed448.PublicKeySize];
                Ed448.GeneratePublicKey(secret, publicKey);
                return Issue(kind, new PublicKey(new Oid("1.3.101.113"), null, new AsnEncodedData(publicKey)), Pkcs8("1.3.101.113", null, OctetString(secret)));
            }
        }
    }

    private static KeyedCertificate Issue(string kind, PublicKey key, byte[] pkcs8) =>
        new(kind, IssueCertificate($"CN=localhost {kind}", key), pkcs8);

    /// <summary>A leaf for <paramref name="key"/> (any algorithm) signed by the ECDSA issuer.</summary>
    public static X509Certificate2 IssueCertificate(string subject, PublicKey key)
    {
        var request = new CertificateRequest(new X500DistinguishedName(subject), key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        var now = DateTimeOffset.UtcNow;
        // Signed through a generator: the issuer's key is ECDSA whatever the subject's key is.
        var certificate = request.Create(Issuer.SubjectName, X509SignatureGenerator.CreateForECDsa(LazyIssuer.Value.Key), now.AddDays(-1), now.AddDays(20), RandomNumberGenerator.GetBytes(12));
        return certificate;
    }

    /// <summary>RSASSA-PSS-params naming one hash for the signature and for MGF1, and a minimum salt length.</summary>
    public static byte[] PssParameters(string hashOid, int saltLength)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0)))
            {
                WriteAlgorithm(writer, hashOid);
            }

            using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 1)))
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier("1.2.840.113549.1.1.8");
                WriteAlgorithm(writer, hashOid);
            }

            using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 2)))
            {
                writer.WriteInteger(saltLength);
            }
        }

        return writer.Encode();
    }

    private static void WriteAlgorithm(AsnWriter writer, string oid)
    {
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(oid);
            writer.WriteNull();
        }
    }

    /// <summary>PrivateKeyInfo (RFC 5208): version 0, the algorithm, the key as an OCTET STRING.</summary>
    public static byte[] Pkcs8(string algorithm, byte[]? parameters, byte[] privateKey)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteInteger(0);
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier(algorithm);
                if (parameters is not null)
                {
                    writer.WriteEncodedValue(parameters);
                }
            }

            writer.WriteOctetString(privateKey);
        }

        return writer.Encode();
    }

    private static byte[] OctetString(byte[] contents)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        writer.WriteOctetString(contents);
        return writer.Encode();
    }
}
