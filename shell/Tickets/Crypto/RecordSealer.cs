using Tickets.Core.Protocol;

namespace Tickets.Crypto;

/// <summary>
/// Protects outgoing records in one direction under one traffic key (RFC 8446 §5.2): builds
/// TLSInnerPlaintext (content || type || zero padding), encrypts it with the 5-byte record header as AAD
/// and a per-record nonce, and advances the sequence number. Works in caller buffers; allocates nothing
/// per record.
/// </summary>
internal sealed class RecordSealer : IDisposable
{
    private readonly RecordAead aead;
    private readonly byte[] iv;

    public RecordSealer(TrafficKeys keys)
    {
        Suite = keys.Suite;
        aead = RecordAead.Create(keys.Suite.Aead, keys.Key);
        iv = (byte[])keys.Iv.Clone();
    }

    /// <summary>Derives the key and IV from a traffic secret and keeps only the AEAD and IV.</summary>
    public static RecordSealer FromSecret(CipherSuiteParameters suite, ReadOnlySpan<byte> trafficSecret)
    {
        using var keys = TrafficKeys.Derive(suite, trafficSecret);
        return new RecordSealer(keys);
    }

    public CipherSuiteParameters Suite { get; }

    /// <summary>Sequence number the next record will use; starts at 0 for every key.</summary>
    public ulong SequenceNumber { get; private set; }

    /// <summary>
    /// Writes one protected record (header and encrypted_record) into <paramref name="destination"/> and
    /// returns its length. <paramref name="content"/> may already sit at destination[5..]; it is encrypted in place.
    /// </summary>
    /// <param name="contentType">The real content type, hidden inside the encryption.</param>
    /// <param name="content">The plaintext to protect.</param>
    /// <param name="destination">Where the whole record goes; room for header, content, type byte, padding and tag.</param>
    /// <param name="paddingLength">Zero bytes added to hide the content length.</param>
    public int Seal(ContentType contentType, ReadOnlySpan<byte> content, Span<byte> destination, int paddingLength = 0)
    {
        if (contentType == ContentType.Invalid)
            throw new ArgumentOutOfRangeException(nameof(contentType), "Content type 0 cannot be told apart from padding.");
        int innerLength = content.Length + 1 + paddingLength;
        if (paddingLength < 0 || content.Length > RecordHeader.MaxPlaintextLength || innerLength > RecordHeader.MaxInnerPlaintextLength)
            throw new ArgumentOutOfRangeException(nameof(content), "Record content plus padding exceeds 2^14 bytes.");
        int encryptedLength = innerLength + CipherSuiteParameters.TagLength;
        int recordLength = RecordHeader.Size + encryptedLength;
        if (destination.Length < recordLength)
            throw new ArgumentException($"Destination needs {recordLength} bytes.", nameof(destination));
        if (SequenceNumber == ulong.MaxValue)
            throw new InvalidOperationException("Sequence number exhausted; the key must be updated.");

        // Inner plaintext first (memmove-safe if content already lives in the destination), then the header.
        var inner = destination.Slice(RecordHeader.Size, innerLength);
        content.CopyTo(inner);
        inner[content.Length] = (byte)contentType;
        inner[(content.Length + 1)..].Clear();

        var header = destination[..RecordHeader.Size];
        RecordHeader.For(ContentType.ApplicationData, encryptedLength).WriteTo(header);

        Span<byte> nonce = stackalloc byte[RecordNonce.Length];
        RecordNonce.Compute(iv, SequenceNumber, nonce);
        aead.Encrypt(nonce, inner, inner, destination.Slice(RecordHeader.Size + innerLength, CipherSuiteParameters.TagLength), header);
        SequenceNumber++;
        return recordLength;
    }

    public void Dispose()
    {
        aead.Dispose();
        System.Security.Cryptography.CryptographicOperations.ZeroMemory(iv);
    }
}
