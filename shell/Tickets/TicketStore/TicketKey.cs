using System.Security.Cryptography;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Tickets.TicketStore;

/// <summary>
/// One session-ticket protection key, and the layout of the tickets it seals:
/// ticket = key name(16) || iv(12) || AES-256-GCM ciphertext || tag(16), with the key name as associated data so a
/// ticket cannot be moved under another key. The name is public (every ticket carries it in the clear, so the server
/// finds the key again); the 32-byte key is secret. The AES object is built once; AesGcm is not safe for concurrent
/// use, so operations on it are serialised.
/// </summary>
internal sealed class TicketKey : IDisposable
{
    /// <summary>Bytes in a key name, the first bytes of every ticket it seals.</summary>
    public const int NameLength = 16;

    /// <summary>Bytes in the AES-256-GCM key.</summary>
    public const int KeyLength = 32;

    /// <summary>Bytes of the random IV after the key name.</summary>
    public const int IvLength = 12;

    /// <summary>Bytes of the GCM tag that ends a ticket.</summary>
    public const int TagLength = 16;

    /// <summary>Bytes a ticket adds around its plaintext.</summary>
    public const int Overhead = NameLength + IvLength + TagLength;

    private readonly byte[] name;
    private readonly AesGcm aead;
    private readonly Lock gate = new();

    /// <summary>A key from its name and its secret; the caller wipes its copy of <paramref name="key"/>.</summary>
    public TicketKey(ReadOnlySpan<byte> name, ReadOnlySpan<byte> key)
    {
        if (name.Length != NameLength)
            throw new ArgumentException($"A ticket key name is {NameLength} bytes.", nameof(name));
        if (key.Length != KeyLength)
            throw new ArgumentException($"A ticket key is {KeyLength} bytes.", nameof(key));
        this.name = name.ToArray();
        aead = new AesGcm(key, TagLength);
    }

    /// <summary>A fresh key with a random name, both from the system's generator.</summary>
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

    /// <summary>The key's public name.</summary>
    public ReadOnlySpan<byte> Name => name;

    /// <summary>Whether <paramref name="candidate"/> is this key's name, compared in constant time.</summary>
    public bool HasName(ReadOnlySpan<byte> candidate) => CryptographicOperations.FixedTimeEquals(name, candidate);

    /// <summary>
    /// Seals <paramref name="plaintext"/> into a ticket under this key, with a fresh random IV. Throws
    /// <see cref="ObjectDisposedException"/> when the key was retired (disposed) meanwhile: the ring then seals under
    /// its new current key.
    /// </summary>
    public byte[] Seal(ReadOnlySpan<byte> plaintext)
    {
        var ticket = new byte[Overhead + plaintext.Length];
        var span = ticket.AsSpan();
        name.CopyTo(span);
        var iv = span.Slice(NameLength, IvLength);
        // Random 96-bit IVs: NIST SP 800-38D allows 2^32 of them per key, far beyond what one key will seal. Drawn
        // here, from the system's generator, never from a scripted source: a repeated IV would give the key away.
        RandomNumberGenerator.Fill(iv);
        try
        {
            lock (gate)
                aead.Encrypt(iv, plaintext, span.Slice(NameLength + IvLength, plaintext.Length), span[^TagLength..], name);
            return ticket;
        }
        catch (ObjectDisposedException)
        {
            throw new ObjectDisposedException(nameof(TicketKey));
        }
    }

    /// <summary>
    /// The plaintext sealed in <paramref name="ticket"/>, or none when it is too short, names another key, fails
    /// authentication (tampered, or sealed under another key of the same name), or the key was retired meanwhile.
    /// Never throws: tickets come from the network.
    /// </summary>
    public Option<byte[]> TryOpen(ReadOnlySpan<byte> ticket)
    {
        if (ticket.Length < Overhead || !HasName(ticket[..NameLength]))
            return None;
        var plaintext = new byte[ticket.Length - Overhead];
        try
        {
            lock (gate)
            {
                aead.Decrypt(
                    ticket.Slice(NameLength, IvLength),
                    ticket.Slice(NameLength + IvLength, plaintext.Length),
                    ticket[^TagLength..],
                    plaintext,
                    name);
            }

            return Some(plaintext);
        }
        catch (Exception e) when (e is CryptographicException or ObjectDisposedException)
        {
            return None;
        }
    }

    /// <summary>Retires the key: AesGcm wipes its key schedule.</summary>
    public void Dispose() => aead.Dispose();
}
