using System.Security.Cryptography;

namespace Tickets.Crypto;

/// <summary>
/// One session-ticket protection key: a 16-byte public name that tickets carry in the clear so the server
/// can find the key again, and a 32-byte AES-256-GCM key. The AES object is built once; AesGcm is not
/// safe for concurrent use, so operations on it are serialised.
/// </summary>
public sealed class TicketKey : IDisposable
{
    public const int NameLength = 16;
    public const int KeyLength = 32;

    private readonly byte[] name;
    private readonly AesGcm aead;
    private readonly Lock gate = new();

    public TicketKey(ReadOnlySpan<byte> name, ReadOnlySpan<byte> key)
    {
        if (name.Length != NameLength)
            throw new ArgumentException($"A ticket key name is {NameLength} bytes.", nameof(name));
        if (key.Length != KeyLength)
            throw new ArgumentException($"A ticket key is {KeyLength} bytes.", nameof(key));
        this.name = name.ToArray();
        aead = new AesGcm(key, TicketSealer.TagLength);
    }

    /// <summary>A fresh key with a random name.</summary>
    public static TicketKey Generate()
    {
        Span<byte> material = stackalloc byte[NameLength + KeyLength];
        RandomNumberGenerator.Fill(material);
        try
        {
            return new TicketKey(material[..NameLength], material[NameLength..]);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(material);
        }
    }

    public ReadOnlySpan<byte> Name => name;

    internal bool HasName(ReadOnlySpan<byte> candidate) => CryptographicOperations.FixedTimeEquals(name, candidate);

    /// <summary>False only when the key was disposed (retired by a rotation) meanwhile.</summary>
    internal bool TryEncrypt(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> plaintext, Span<byte> ciphertext, Span<byte> tag)
    {
        try
        {
            lock (gate)
                aead.Encrypt(nonce, plaintext, ciphertext, tag, name);
            return true;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
    }

    internal bool TryDecrypt(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> tag, Span<byte> plaintext)
    {
        try
        {
            lock (gate)
                aead.Decrypt(nonce, ciphertext, tag, plaintext, name);
            return true;
        }
        catch (Exception e) when (e is CryptographicException or ObjectDisposedException)
        {
            // Tampered tickets fail authentication; a key retired meanwhile simply no longer opens anything.
            return false;
        }
    }

    /// <summary>AesGcm wipes its key schedule on dispose.</summary>
    public void Dispose() => aead.Dispose();
}
