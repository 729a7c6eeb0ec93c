using System.Security.Cryptography;

namespace Tickets.Crypto;

/// <summary>
/// AesGcm and ChaCha20Poly1305 share no interface; this gives the record layer one shape for both so
/// sealing and opening are written once. One instance per traffic key: the key schedule is done once
/// and every record reuses it.
/// </summary>
internal abstract class RecordAead : IDisposable
{
    public static RecordAead Create(AeadAlgorithm algorithm, ReadOnlySpan<byte> key) => algorithm switch
    {
        AeadAlgorithm.Aes128Gcm or AeadAlgorithm.Aes256Gcm => new Gcm(key),
        AeadAlgorithm.ChaCha20Poly1305 => new ChaCha(key),
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm)),
    };

    public abstract void Encrypt(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> plaintext, Span<byte> ciphertext, Span<byte> tag, ReadOnlySpan<byte> aad);

    /// <summary>False when the tag does not authenticate; the caller turns that into bad_record_mac.</summary>
    public abstract bool TryDecrypt(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> tag, Span<byte> plaintext, ReadOnlySpan<byte> aad);

    public abstract void Dispose();

    private sealed class Gcm(ReadOnlySpan<byte> key) : RecordAead
    {
        private readonly AesGcm aead = new(key, CipherSuiteParameters.TagLength);

        public override void Encrypt(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> plaintext, Span<byte> ciphertext, Span<byte> tag, ReadOnlySpan<byte> aad) =>
            aead.Encrypt(nonce, plaintext, ciphertext, tag, aad);

        public override bool TryDecrypt(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> tag, Span<byte> plaintext, ReadOnlySpan<byte> aad)
        {
            try
            {
                aead.Decrypt(nonce, ciphertext, tag, plaintext, aad);
                return true;
            }
            catch (CryptographicException)
            {
                return false;
            }
        }

        public override void Dispose() => aead.Dispose();
    }

    private sealed class ChaCha(ReadOnlySpan<byte> key) : RecordAead
    {
        private readonly ChaCha20Poly1305 aead = new(key);

        public override void Encrypt(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> plaintext, Span<byte> ciphertext, Span<byte> tag, ReadOnlySpan<byte> aad) =>
            aead.Encrypt(nonce, plaintext, ciphertext, tag, aad);

        public override bool TryDecrypt(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> tag, Span<byte> plaintext, ReadOnlySpan<byte> aad)
        {
            try
            {
                aead.Decrypt(nonce, ciphertext, tag, plaintext, aad);
                return true;
            }
            catch (CryptographicException)
            {
                return false;
            }
        }

        public override void Dispose() => aead.Dispose();
    }
}
