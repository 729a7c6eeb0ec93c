using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Tickets.Core.Protocol;
using Tickets.Crypto;

namespace Tickets.Benchmarks;

/// <summary>
/// Record protection for 16 KiB records (the size bulk data travels in) against the AesGcm calls it is
/// built on, on the same sizes. The opener's sequence number must follow the sealer's, so opening is
/// measured as seal + open, against raw encrypt + decrypt.
/// </summary>
[MemoryDiagnoser]
public class RecordBenchmarks
{
    private const int Size = RecordHeader.MaxPlaintextLength;

    private readonly byte[] content = RandomNumberGenerator.GetBytes(Size);
    private readonly byte[] record = new byte[RecordLimits.ProtectedRecordLength(Size)];
    private readonly byte[] opened = new byte[Size + 1];
    private readonly byte[] key = RandomNumberGenerator.GetBytes(16);
    private readonly byte[] nonce = RandomNumberGenerator.GetBytes(12);
    private readonly byte[] aad = new byte[5];
    private readonly byte[] tag = new byte[16];
    private readonly byte[] rawCiphertext = new byte[Size + 1];
    private readonly byte[] rawPlaintext = new byte[Size + 1];
    private AesGcm raw = null!;
    private RecordSealer sealer = null!;
    private RecordOpener opener = null!;

    [GlobalSetup]
    public void Setup()
    {
        raw = new AesGcm(key, 16);
        var suite = CipherSuiteParameters.For(CipherSuite.TLS_AES_128_GCM_SHA256);
        var secret = RandomNumberGenerator.GetBytes(32);
        sealer = RecordSealer.FromSecret(suite, secret);
        opener = RecordOpener.FromSecret(suite, secret);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        raw.Dispose();
        sealer.Dispose();
        opener.Dispose();
    }

    /// <summary>What one record costs AesGcm alone: the content plus its type byte, and a tag.</summary>
    [Benchmark(Baseline = true)]
    public void RawAesGcmEncrypt() => raw.Encrypt(nonce, rawPlaintext, rawCiphertext, tag, aad);

    [Benchmark]
    public int SealRecord() => sealer.Seal(ContentType.ApplicationData, content, record);

    [Benchmark]
    public void RawAesGcmEncryptDecrypt()
    {
        raw.Encrypt(nonce, rawPlaintext, rawCiphertext, tag, aad);
        raw.Decrypt(nonce, rawCiphertext, tag, rawPlaintext, aad);
    }

    [Benchmark]
    public int SealAndOpenRecord()
    {
        var length = sealer.Seal(ContentType.ApplicationData, content, record);
        return opener.Open(record.AsSpan(0, 5), record.AsSpan(5, length - 5), opened).Length;
    }
}
