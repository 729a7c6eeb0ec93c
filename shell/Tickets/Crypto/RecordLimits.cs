namespace Tickets.Crypto;

/// <summary>
/// Limits of TLS 1.3 records beyond the header's own (sizes and legacy_record_version are the core's
/// <see cref="Tickets.Core.Protocol.RecordHeader"/>): the size of a protected record, how many records one key may
/// protect (§5.5), and how many records in a row may carry nothing.
/// </summary>
internal static class RecordLimits
{
    /// <summary>Whole record size for a given content length and padding: header + content + type + padding + tag.</summary>
    public static int ProtectedRecordLength(int contentLength, int paddingLength = 0) =>
        Tickets.Core.Protocol.RecordHeader.Size + contentLength + 1 + paddingLength + CipherSuiteParameters.TagLength;

    /// <summary>
    /// Records in a row that carry no data: empty (or padding-only) application_data records, and the change_cipher_spec
    /// records ignored during the handshake. Each costs a read, a decryption and a loop for nothing; the next one is
    /// unexpected_message. 32, as BoringSSL (kMaxEmptyRecords) and rustls.
    /// </summary>
    public const int MaxConsecutiveEmptyRecords = 32;

    /// <summary>
    /// KeyUpdates in a row with no application data between them; the next one is unexpected_message. Each costs a key
    /// derivation and, when it asks for one, an answer we must write. 32, as BoringSSL (kMaxKeyUpdates).
    /// </summary>
    public const int MaxConsecutiveKeyUpdates = 32;

    /// <summary>
    /// Records we protect under one key before we replace it with a KeyUpdate (RFC 8446 §5.5): 2^24 for AES-GCM, below
    /// the 2^24.5 full-size records §5.5 allows with a 2^-57 margin (and what rustls uses); ChaCha20-Poly1305 has no
    /// practical limit, so 2^62, which only keeps the 64-bit sequence number far from wrapping.
    /// </summary>
    public static ulong RecordsPerKey(AeadAlgorithm aead) => aead == AeadAlgorithm.ChaCha20Poly1305 ? 1UL << 62 : 1UL << 24;
}
