using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Tickets.Crypto;

/// <summary>The certificate keys TLS 1.3 can sign CertificateVerify with, each tied to its own schemes (RFC 8446 §4.2.3).</summary>
internal enum CertificateKeyKind { Unsupported, EcdsaP256, EcdsaP384, EcdsaP521, Rsa, RsaPss, Ed25519, Ed448 }

/// <summary>
/// A certificate's public key as far as signature schemes care: its kind, its size, what an RSASSA-PSS key's parameters
/// allow, and the raw key bytes the base library cannot import (RSASSA-PSS, Ed25519, Ed448).
/// </summary>
/// <param name="Kind">The key's algorithm and, for EC keys, its curve.</param>
/// <param name="SizeBits">The key size: the modulus for RSA, the curve's field for EC and EdDSA.</param>
/// <param name="PssHash">For an RSASSA-PSS key whose parameters restrict it: the one hash it may sign with.</param>
/// <param name="Usable">False for an RSASSA-PSS key whose parameters no TLS 1.3 scheme meets (e.g. SHA-1).</param>
/// <param name="RawKey">The subjectPublicKey bits, for the kinds the base library cannot import.</param>
internal sealed record CertificatePublicKey(CertificateKeyKind Kind, int SizeBits, HashAlgorithmName? PssHash, bool Usable, byte[] RawKey)
{
    internal const string EcPublicKeyOid = "1.2.840.10045.2.1";
    internal const string RsaEncryptionOid = "1.2.840.113549.1.1.1";
    internal const string RsaPssOid = "1.2.840.113549.1.1.10";
    internal const string Ed25519Oid = "1.3.101.112";
    internal const string Ed448Oid = "1.3.101.113";
    private const string Mgf1Oid = "1.2.840.113549.1.1.8";

    public static CertificatePublicKey Of(X509Certificate2 certificate)
    {
        var key = certificate.PublicKey;
        var raw = key.EncodedKeyValue.RawData;
        var parameters = key.EncodedParameters?.RawData ?? [];
        try
        {
            return key.Oid.Value switch
            {
                EcPublicKeyOid => new(CurveOf(parameters), 8 * ((raw.Length - 1) / 2), null, true, raw),
                RsaEncryptionOid => new(CertificateKeyKind.Rsa, ModulusBits(raw), null, true, raw),
                RsaPssOid => PssKey(raw, parameters),
                Ed25519Oid => new(raw.Length == 32 ? CertificateKeyKind.Ed25519 : CertificateKeyKind.Unsupported, 256, null, true, raw),
                Ed448Oid => new(raw.Length == 57 ? CertificateKeyKind.Ed448 : CertificateKeyKind.Unsupported, 456, null, true, raw),
                _ => Unsupported,
            };
        }
        catch (AsnContentException)
        {
            return Unsupported;
        }
    }

    private static CertificatePublicKey Unsupported { get; } = new(CertificateKeyKind.Unsupported, 0, null, false, []);

    /// <summary>An RSA public key from the RSAPublicKey structure an RSASSA-PSS certificate carries.</summary>
    public RSA ImportRsa()
    {
        var rsa = RSA.Create();
        rsa.ImportRSAPublicKey(RawKey, out _);
        return rsa;
    }

    private static CertificateKeyKind CurveOf(byte[] parameters) => new AsnReader(parameters, AsnEncodingRules.DER).ReadObjectIdentifier() switch
    {
        "1.2.840.10045.3.1.7" => CertificateKeyKind.EcdsaP256,
        "1.3.132.0.34" => CertificateKeyKind.EcdsaP384,
        "1.3.132.0.35" => CertificateKeyKind.EcdsaP521,
        _ => CertificateKeyKind.Unsupported,
    };

    private static int ModulusBits(byte[] rsaPublicKey)
    {
        var sequence = new AsnReader(rsaPublicKey, AsnEncodingRules.DER).ReadSequence();
        var modulus = sequence.ReadIntegerBytes().Span;
        var leadingZero = modulus.Length > 0 && modulus[0] == 0 ? 1 : 0;
        return 8 * (modulus.Length - leadingZero);
    }

    /// <summary>
    /// RSASSA-PSS-params (RFC 4055 §3.1): absent means any hash; present, the key signs with one hash only, which its
    /// MGF1 must share (TLS 1.3 uses MGF1 with the signature's hash) and whose length covers the minimum salt length.
    /// Left out, the hash is SHA-1, which no TLS 1.3 scheme uses.
    /// </summary>
    private static CertificatePublicKey PssKey(byte[] raw, byte[] parameters)
    {
        var bits = ModulusBits(raw);
        if (parameters.Length == 0 || parameters is [0x05, 0x00])
            return new(CertificateKeyKind.RsaPss, bits, null, true, raw);

        var fields = new AsnReader(parameters, AsnEncodingRules.DER).ReadSequence();
        string hash = "1.3.14.3.2.26", mgfHash = "1.3.14.3.2.26";
        var saltLength = 20;
        var hashTag = new Asn1Tag(TagClass.ContextSpecific, 0);
        if (fields.HasData && fields.PeekTag().HasSameClassAndValue(hashTag))
            hash = AlgorithmOid(fields.ReadSequence(hashTag).ReadSequence());
        var mgfTag = new Asn1Tag(TagClass.ContextSpecific, 1);
        if (fields.HasData && fields.PeekTag().HasSameClassAndValue(mgfTag))
        {
            var mgf = fields.ReadSequence(mgfTag).ReadSequence();
            mgfHash = mgf.ReadObjectIdentifier() == Mgf1Oid ? AlgorithmOid(mgf.ReadSequence()) : "";
        }
        var saltTag = new Asn1Tag(TagClass.ContextSpecific, 2);
        if (fields.HasData && fields.PeekTag().HasSameClassAndValue(saltTag))
            saltLength = (int)fields.ReadSequence(saltTag).ReadInteger();

        HashAlgorithmName? restricted = hash switch
        {
            "2.16.840.1.101.3.4.2.1" => HashAlgorithmName.SHA256,
            "2.16.840.1.101.3.4.2.2" => HashAlgorithmName.SHA384,
            "2.16.840.1.101.3.4.2.3" => HashAlgorithmName.SHA512,
            _ => null,
        };
        var hashLength = restricted is { } name ? HashLengthOf(name) : 0;
        var usable = restricted is not null && mgfHash == hash && saltLength <= hashLength;
        return new(CertificateKeyKind.RsaPss, bits, restricted, usable, raw);
    }

    private static string AlgorithmOid(AsnReader algorithmIdentifier) => algorithmIdentifier.ReadObjectIdentifier();

    internal static int HashLengthOf(HashAlgorithmName hash) =>
        hash == HashAlgorithmName.SHA256 ? 32 : hash == HashAlgorithmName.SHA384 ? 48 : hash == HashAlgorithmName.SHA512 ? 64 : 0;
}
