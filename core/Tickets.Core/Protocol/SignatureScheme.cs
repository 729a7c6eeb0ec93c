namespace Tickets.Core.Protocol;

/// <summary>Signature schemes (RFC 8446 §4.2.3), RFC spelling.</summary>
public enum SignatureScheme : ushort
{
    /// <summary>RSASSA-PKCS1-v1_5 with SHA-256: certificates only, never CertificateVerify in TLS 1.3.</summary>
    rsa_pkcs1_sha256 = 0x0401,

    /// <summary>RSASSA-PKCS1-v1_5 with SHA-384: certificates only.</summary>
    rsa_pkcs1_sha384 = 0x0501,

    /// <summary>RSASSA-PKCS1-v1_5 with SHA-512: certificates only.</summary>
    rsa_pkcs1_sha512 = 0x0601,

    /// <summary>ECDSA over P-256 with SHA-256.</summary>
    ecdsa_secp256r1_sha256 = 0x0403,

    /// <summary>ECDSA over P-384 with SHA-384.</summary>
    ecdsa_secp384r1_sha384 = 0x0503,

    /// <summary>ECDSA over P-521 with SHA-512.</summary>
    ecdsa_secp521r1_sha512 = 0x0603,

    /// <summary>RSASSA-PSS with SHA-256, for a key in an rsaEncryption certificate.</summary>
    rsa_pss_rsae_sha256 = 0x0804,

    /// <summary>RSASSA-PSS with SHA-384, for a key in an rsaEncryption certificate.</summary>
    rsa_pss_rsae_sha384 = 0x0805,

    /// <summary>RSASSA-PSS with SHA-512, for a key in an rsaEncryption certificate.</summary>
    rsa_pss_rsae_sha512 = 0x0806,

    /// <summary>Ed25519 (RFC 8032).</summary>
    ed25519 = 0x0807,

    /// <summary>Ed448 (RFC 8032).</summary>
    ed448 = 0x0808,

    /// <summary>RSASSA-PSS with SHA-256, for a key in an RSASSA-PSS certificate.</summary>
    rsa_pss_pss_sha256 = 0x0809,

    /// <summary>RSASSA-PSS with SHA-384, for a key in an RSASSA-PSS certificate.</summary>
    rsa_pss_pss_sha384 = 0x080a,

    /// <summary>RSASSA-PSS with SHA-512, for a key in an RSASSA-PSS certificate.</summary>
    rsa_pss_pss_sha512 = 0x080b,

    /// <summary>RSASSA-PKCS1-v1_5 with SHA-1: legacy, certificates only.</summary>
    rsa_pkcs1_sha1 = 0x0201,

    /// <summary>ECDSA with SHA-1: legacy, certificates only.</summary>
    ecdsa_sha1 = 0x0203,
}
