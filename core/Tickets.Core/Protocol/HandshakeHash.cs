using LanguageExt;
using static LanguageExt.Prelude;

namespace Tickets.Core.Protocol;

/// <summary>The hash a TLS 1.3 cipher suite runs its key schedule and transcript with (RFC 8446 §B.4).</summary>
public enum HandshakeHash
{
    /// <summary>SHA-256: every TLS 1.3 suite but TLS_AES_256_GCM_SHA384.</summary>
    Sha256,

    /// <summary>SHA-384: TLS_AES_256_GCM_SHA384.</summary>
    Sha384,
}

/// <summary>Which hash each TLS 1.3 cipher suite uses.</summary>
public static class HandshakeHashes
{
    /// <summary>The suite's hash; none for a number that is not a TLS 1.3 suite.</summary>
    public static Option<HandshakeHash> Of(CipherSuite suite) => suite switch
    {
        CipherSuite.TLS_AES_256_GCM_SHA384 => Some(HandshakeHash.Sha384),
        CipherSuite.TLS_AES_128_GCM_SHA256 or CipherSuite.TLS_CHACHA20_POLY1305_SHA256
            or CipherSuite.TLS_AES_128_CCM_SHA256 or CipherSuite.TLS_AES_128_CCM_8_SHA256 => Some(HandshakeHash.Sha256),
        _ => None,
    };
}
