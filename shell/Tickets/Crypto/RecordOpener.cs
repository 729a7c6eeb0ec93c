using Tickets.Core.Protocol;

namespace Tickets.Crypto;

/// <summary>
/// Removes protection from incoming records in one direction under one traffic key (RFC 8446 §5.2, §5.4):
/// checks size limits, authenticates with the record header as AAD, strips the zero padding and reads the
/// real content type. Failures come back as <see cref="RecordOpenResult"/> statuses, never as exceptions.
/// </summary>
internal sealed class RecordOpener : IDisposable
{
    private readonly RecordAead aead;
    private readonly byte[] iv;

    public RecordOpener(TrafficKeys keys)
    {
        Suite = keys.Suite;
        aead = RecordAead.Create(keys.Suite.Aead, keys.Key);
        iv = (byte[])keys.Iv.Clone();
    }

    /// <summary>Derives the key and IV from a traffic secret and keeps only the AEAD and IV.</summary>
    public static RecordOpener FromSecret(CipherSuiteParameters suite, ReadOnlySpan<byte> trafficSecret)
    {
        using var keys = TrafficKeys.Derive(suite, trafficSecret);
        return new RecordOpener(keys);
    }

    public CipherSuiteParameters Suite { get; }

    /// <summary>Sequence number the next record is expected to carry; advances only on success.</summary>
    public ulong SequenceNumber { get; private set; }

    /// <summary>
    /// Opens the record whose 5-byte <paramref name="header"/> and encrypted_record are given. The plaintext
    /// content lands at the start of <paramref name="destination"/>, which needs encryptedRecord.Length - 16
    /// bytes and may be exactly the encryptedRecord memory (decryption in place).
    /// </summary>
    public RecordOpenResult Open(ReadOnlySpan<byte> header, ReadOnlySpan<byte> encryptedRecord, Span<byte> destination)
    {
        if (header.Length != RecordHeader.Size || header[0] != (byte)ContentType.ApplicationData)
            return RecordOpenResult.Fail(RecordOpenStatus.UnexpectedMessage);
        if (encryptedRecord.Length > RecordHeader.MaxCiphertextLength)
            return RecordOpenResult.Fail(RecordOpenStatus.RecordOverflow);
        // At least the tag and the content type byte; anything shorter cannot authenticate.
        if (encryptedRecord.Length < CipherSuiteParameters.TagLength + 1)
            return RecordOpenResult.Fail(RecordOpenStatus.BadRecordMac);

        int innerLength = encryptedRecord.Length - CipherSuiteParameters.TagLength;
        if (destination.Length < innerLength)
            throw new ArgumentException($"Destination needs {innerLength} bytes.", nameof(destination));

        Span<byte> nonce = stackalloc byte[RecordNonce.Length];
        RecordNonce.Compute(iv, SequenceNumber, nonce);
        var inner = destination[..innerLength];
        if (!aead.TryDecrypt(nonce, encryptedRecord[..innerLength], encryptedRecord[innerLength..], inner, header))
        {
            // Don't hand back unauthenticated bytes.
            inner.Clear();
            return RecordOpenResult.Fail(RecordOpenStatus.BadRecordMac);
        }
        SequenceNumber++;

        if (innerLength > RecordHeader.MaxInnerPlaintextLength)
            return RecordOpenResult.Fail(RecordOpenStatus.RecordOverflow);

        // The content type is the last non-zero byte; everything after it is padding.
        int typeIndex = inner.LastIndexOfAnyExcept((byte)0);
        if (typeIndex < 0)
            return RecordOpenResult.Fail(RecordOpenStatus.UnexpectedMessage);
        return new RecordOpenResult(RecordOpenStatus.Ok, (ContentType)inner[typeIndex], typeIndex);
    }

    /// <summary>
    /// Opens a whole record (header included) in place; on success the content is at record[5..5+Length].
    /// </summary>
    public RecordOpenResult OpenInPlace(Span<byte> record)
    {
        if (record.Length < RecordHeader.Size)
            return RecordOpenResult.Fail(RecordOpenStatus.BadRecordMac);
        var payload = record[RecordHeader.Size..];
        return Open(record[..RecordHeader.Size], payload, payload);
    }

    public void Dispose()
    {
        aead.Dispose();
        System.Security.Cryptography.CryptographicOperations.ZeroMemory(iv);
    }
}
