using System.Buffers.Binary;
using System.Security.Cryptography;
using Tickets.Core.Protocol;
using Tickets.Crypto;

namespace Tickets.Tests.Crypto;

/// <summary>Record sealing and opening for every suite, and each way a hostile record must be refused.</summary>
[Trait("Category", TestCategory.Unit)]
public sealed class RecordProtectionTests
{
    public static TheoryData<CipherSuite> Suites =>
        [CipherSuite.TLS_AES_128_GCM_SHA256, CipherSuite.TLS_AES_256_GCM_SHA384, CipherSuite.TLS_CHACHA20_POLY1305_SHA256];

    private static (RecordSealer Sealer, RecordOpener Opener) Pair(CipherSuite suite)
    {
        var parameters = CipherSuiteParameters.For(suite);
        var secret = RandomNumberGenerator.GetBytes(parameters.HashLength);
        return (RecordSealer.FromSecret(parameters, secret), RecordOpener.FromSecret(parameters, secret));
    }

    [Theory]
    [MemberData(nameof(Suites))]
    public void SealedRecordsOpenInOrderWithTypeAndPaddingStripped(CipherSuite suite)
    {
        var (sealer, opener) = Pair(suite);
        using var s = sealer;
        using var o = opener;
        for (int i = 0; i < 3; i++)
        {
            var content = RandomNumberGenerator.GetBytes(100 + i);
            int padding = 7 * i;
            var record = new byte[RecordLimits.ProtectedRecordLength(content.Length, padding)];
            int written = sealer.Seal(ContentType.ApplicationData, content, record, padding);

            Assert.Equal(record.Length, written);
            Assert.Equal(new byte[] { 23, 3, 3 }, record[..3]);
            Assert.Equal(written - 5, BinaryPrimitives.ReadUInt16BigEndian(record.AsSpan(3)));
            var result = opener.OpenInPlace(record);
            Assert.Equal(new RecordOpenResult(RecordOpenStatus.Ok, ContentType.ApplicationData, content.Length), result);
            Assert.Equal(content, record[5..(5 + result.Length)]);
        }
        Assert.Equal(3ul, sealer.SequenceNumber);
        Assert.Equal(3ul, opener.SequenceNumber);
    }

    [Theory]
    [MemberData(nameof(Suites))]
    public void ContentAlreadyInTheDestinationIsSealedInPlace(CipherSuite suite)
    {
        var (sealer, opener) = Pair(suite);
        using var s = sealer;
        using var o = opener;
        var content = RandomNumberGenerator.GetBytes(64);
        var record = new byte[RecordLimits.ProtectedRecordLength(content.Length)];
        content.CopyTo(record, 5);

        sealer.Seal(ContentType.Handshake, record.AsSpan(5, content.Length), record);

        Assert.NotEqual(content, record[5..69]);
        var result = opener.OpenInPlace(record);
        Assert.Equal(ContentType.Handshake, result.ContentType);
        Assert.Equal(content, record[5..(5 + result.Length)]);
    }

    [Theory]
    [MemberData(nameof(Suites))]
    public void AnyFlippedBitFailsAsBadRecordMac(CipherSuite suite)
    {
        var (sealer, opener) = Pair(suite);
        using var s = sealer;
        using var o = opener;
        var record = new byte[RecordLimits.ProtectedRecordLength(32)];
        sealer.Seal(ContentType.ApplicationData, new byte[32], record);

        // Header bytes are authenticated as AAD; body bytes as ciphertext and tag. Skip byte 0 (outer type, checked first).
        foreach (int index in new[] { 1, 4, 5, 20, record.Length - 1 })
        {
            var copy = (byte[])record.Clone();
            copy[index] ^= 0x01;
            var result = opener.OpenInPlace(copy);
            Assert.Equal(RecordOpenStatus.BadRecordMac, result.Status);
            Assert.Equal(AlertDescription.BadRecordMac, result.ToError().Alert);
        }
        // Failures do not consume a sequence number: the untouched record still opens.
        Assert.True(opener.OpenInPlace(record).IsOk);
    }

    [Fact]
    public void DifferentKeysDoNotOpen()
    {
        var (sealer, _) = Pair(CipherSuite.TLS_AES_128_GCM_SHA256);
        var (_, opener) = Pair(CipherSuite.TLS_AES_128_GCM_SHA256);
        using var s = sealer;
        using var o = opener;
        var record = new byte[RecordLimits.ProtectedRecordLength(10)];
        sealer.Seal(ContentType.ApplicationData, new byte[10], record);
        Assert.Equal(RecordOpenStatus.BadRecordMac, opener.OpenInPlace(record).Status);
    }

    [Fact]
    public void RecordsTooShortToHoldATagAreBadRecordMac()
    {
        var (_, opener) = Pair(CipherSuite.TLS_AES_128_GCM_SHA256);
        using var o = opener;
        Assert.Equal(RecordOpenStatus.BadRecordMac, opener.OpenInPlace(new byte[] { 23, 3, 3, 0, 16, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }).Status);
        Assert.Equal(RecordOpenStatus.BadRecordMac, opener.OpenInPlace(new byte[] { 23, 3 }).Status);
    }

    [Fact]
    public void CiphertextOverTheLimitIsRecordOverflow()
    {
        var (_, opener) = Pair(CipherSuite.TLS_AES_128_GCM_SHA256);
        using var o = opener;
        var record = new byte[5 + RecordHeader.MaxCiphertextLength + 1];
        record[0] = 23;
        var result = opener.OpenInPlace(record);
        Assert.Equal(RecordOpenStatus.RecordOverflow, result.Status);
        Assert.Equal(AlertDescription.RecordOverflow, result.Alert);
    }

    [Fact]
    public void AuthenticInnerPlaintextOverTheLimitIsRecordOverflow()
    {
        // Within the ciphertext limit but 2^14 + 2 bytes of inner plaintext: only a peer ignoring the limit sends this.
        var inner = new byte[RecordHeader.MaxInnerPlaintextLength + 1];
        inner[^1] = (byte)ContentType.ApplicationData;
        var (opener, record) = HandBuiltRecord(inner);
        using var o = opener;
        Assert.Equal(RecordOpenStatus.RecordOverflow, opener.OpenInPlace(record).Status);
    }

    [Fact]
    public void AllZeroInnerPlaintextIsUnexpectedMessage()
    {
        var (opener, record) = HandBuiltRecord(new byte[20]);
        using var o = opener;
        var result = opener.OpenInPlace(record);
        Assert.Equal(RecordOpenStatus.UnexpectedMessage, result.Status);
        Assert.Equal(AlertDescription.UnexpectedMessage, result.Alert);
    }

    [Fact]
    public void OuterTypeOtherThanApplicationDataIsUnexpectedMessage()
    {
        var (sealer, opener) = Pair(CipherSuite.TLS_AES_128_GCM_SHA256);
        using var s = sealer;
        using var o = opener;
        var record = new byte[RecordLimits.ProtectedRecordLength(10)];
        sealer.Seal(ContentType.ApplicationData, new byte[10], record);
        record[0] = (byte)ContentType.Handshake;
        Assert.Equal(RecordOpenStatus.UnexpectedMessage, opener.OpenInPlace(record).Status);
    }

    [Fact]
    public void SealerAcceptsAFullFragmentAndRefusesMore()
    {
        var (sealer, opener) = Pair(CipherSuite.TLS_AES_256_GCM_SHA384);
        using var s = sealer;
        using var o = opener;
        var record = new byte[RecordLimits.ProtectedRecordLength(RecordHeader.MaxPlaintextLength + 1)];
        int written = sealer.Seal(ContentType.ApplicationData, new byte[RecordHeader.MaxPlaintextLength], record);
        Assert.Equal(RecordOpenStatus.Ok, opener.OpenInPlace(record.AsSpan(0, written)).Status);

        Assert.Throws<ArgumentOutOfRangeException>(() => sealer.Seal(ContentType.ApplicationData, new byte[RecordHeader.MaxPlaintextLength + 1], record));
        Assert.Throws<ArgumentOutOfRangeException>(() => sealer.Seal(ContentType.ApplicationData, new byte[RecordHeader.MaxPlaintextLength], record, paddingLength: 1));
    }

    [Fact]
    public void KeyUpdateSecretsProtectIndependently()
    {
        var parameters = CipherSuiteParameters.Aes128GcmSha256;
        var secret = RandomNumberGenerator.GetBytes(32);
        var next = KeySchedule.NextApplicationTrafficSecret(parameters.Hash, secret);
        using var oldSealer = RecordSealer.FromSecret(parameters, secret);
        using var newOpener = RecordOpener.FromSecret(parameters, next);
        var record = new byte[RecordLimits.ProtectedRecordLength(5)];
        oldSealer.Seal(ContentType.ApplicationData, new byte[5], record);
        Assert.Equal(RecordOpenStatus.BadRecordMac, newOpener.OpenInPlace(record).Status);
    }

    /// <summary>A record encrypted directly with AES-GCM at sequence 0, to present inner plaintexts the sealer refuses to make.</summary>
    private static (RecordOpener, byte[]) HandBuiltRecord(byte[] inner)
    {
        var parameters = CipherSuiteParameters.Aes128GcmSha256;
        var secret = RandomNumberGenerator.GetBytes(32);
        using var keys = TrafficKeys.Derive(parameters, secret);
        var record = new byte[5 + inner.Length + 16];
        record[0] = 23;
        record[1] = 3;
        record[2] = 3;
        BinaryPrimitives.WriteUInt16BigEndian(record.AsSpan(3), (ushort)(inner.Length + 16));
        using var aes = new AesGcm(keys.Key, 16);
        // Sequence 0: the nonce is the IV itself.
        aes.Encrypt(keys.Iv, inner, record.AsSpan(5, inner.Length), record.AsSpan(5 + inner.Length), record.AsSpan(0, 5));
        return (new RecordOpener(keys), record);
    }
}
