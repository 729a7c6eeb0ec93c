namespace Tickets.Crypto;

/// <summary>Size limits of TLS 1.3 records (RFC 8446 §5.1, §5.2, §5.4).</summary>
public static class RecordLimits
{
    /// <summary>ContentType(1) + legacy_record_version(2) + length(2).</summary>
    public const int HeaderLength = 5;

    /// <summary>Largest plaintext fragment: 2^14.</summary>
    public const int MaxPlaintext = 1 << 14;

    /// <summary>Largest encoded TLSInnerPlaintext (content + type byte + padding): 2^14 + 1.</summary>
    public const int MaxInnerPlaintext = MaxPlaintext + 1;

    /// <summary>Largest TLSCiphertext.encrypted_record: 2^14 + 256.</summary>
    public const int MaxCiphertext = MaxPlaintext + 256;

    /// <summary>legacy_record_version written on protected records: 0x0303.</summary>
    public const ushort LegacyRecordVersion = 0x0303;

    /// <summary>Whole record size for a given content length and padding: header + content + type + padding + tag.</summary>
    public static int ProtectedRecordLength(int contentLength, int paddingLength = 0) =>
        HeaderLength + contentLength + 1 + paddingLength + CipherSuiteParameters.TagLength;
}
