using System.Security.Cryptography;

namespace Tickets.Crypto;

/// <summary>
/// The write key and IV of one direction, derived from a traffic secret (RFC 8446 §7.3):
/// key = HKDF-Expand-Label(secret, "key", "", key_length), iv = HKDF-Expand-Label(secret, "iv", "", iv_length).
/// </summary>
internal sealed class TrafficKeys : IDisposable
{
    private TrafficKeys(CipherSuiteParameters suite, byte[] key, byte[] iv)
    {
        Suite = suite;
        Key = key;
        Iv = iv;
    }

    public CipherSuiteParameters Suite { get; }

    public byte[] Key { get; }

    public byte[] Iv { get; }

    public static TrafficKeys Derive(CipherSuiteParameters suite, ReadOnlySpan<byte> trafficSecret) =>
        new(suite,
            KeySchedule.ExpandLabel(suite.Hash, trafficSecret, "key", ReadOnlySpan<byte>.Empty, suite.KeyLength),
            KeySchedule.ExpandLabel(suite.Hash, trafficSecret, "iv", ReadOnlySpan<byte>.Empty, suite.IvLength));

    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(Key);
        CryptographicOperations.ZeroMemory(Iv);
    }
}
