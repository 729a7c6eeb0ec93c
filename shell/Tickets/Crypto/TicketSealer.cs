using System.Security.Cryptography;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Tickets.Crypto;

/// <summary>
/// Seals session state into self-contained (stateless) tickets and opens them again:
/// ticket = key name(16) || iv(12) || AES-256-GCM ciphertext || tag(16), with the key name as AAD so a
/// ticket cannot be moved under another key. New tickets use the current key; tickets under earlier keys
/// still open until those keys are dropped, so rotation does not break resumption at once.
/// </summary>
public sealed class TicketSealer : IDisposable
{
    public const int IvLength = 12;
    public const int TagLength = 16;

    /// <summary>Bytes a ticket adds around its plaintext.</summary>
    public const int Overhead = TicketKey.NameLength + IvLength + TagLength;

    private readonly int maxRetainedKeys;
    // Current key first. Replaced wholesale on rotation so readers never see a half-updated list.
    private volatile TicketKey[] keys;
    private readonly Lock rotation = new();

    /// <param name="current">Key that seals new tickets (and opens them).</param>
    /// <param name="maxRetainedKeys">How many older keys stay usable for opening after <see cref="Rotate"/>.</param>
    public TicketSealer(TicketKey current, int maxRetainedKeys = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxRetainedKeys);
        this.maxRetainedKeys = maxRetainedKeys;
        keys = [current];
    }

    /// <summary>A sealer with a freshly generated random key.</summary>
    public static TicketSealer CreateRandom() => new(TicketKey.Generate());

    public TicketKey CurrentKey => keys[0];

    /// <summary>Seals with <paramref name="next"/> from now on; the oldest key beyond the retention limit is disposed.</summary>
    public void Rotate(TicketKey next)
    {
        lock (rotation)
        {
            var old = keys;
            int kept = Math.Min(old.Length, maxRetainedKeys);
            var updated = new TicketKey[kept + 1];
            updated[0] = next;
            System.Array.Copy(old, 0, updated, 1, kept);
            keys = updated;
            for (int i = kept; i < old.Length; i++)
                old[i].Dispose();
        }
    }

    public byte[] Seal(ReadOnlySpan<byte> plaintext)
    {
        var ticket = new byte[Overhead + plaintext.Length];
        var span = ticket.AsSpan();
        var iv = span.Slice(TicketKey.NameLength, IvLength);
        // Random 96-bit IVs: NIST SP 800-38D allows 2^32 of them per key, far beyond what one key will seal.
        RandomNumberGenerator.Fill(iv);
        // A rotation racing with us may retire the key we picked; then seal again under the new current key.
        while (true)
        {
            var key = keys[0];
            key.Name.CopyTo(span);
            if (key.TryEncrypt(iv, plaintext, span.Slice(TicketKey.NameLength + IvLength, plaintext.Length), span[^TagLength..]))
                return ticket;
            // Not a rotation but the sealer itself disposed: nothing newer to retry with.
            if (ReferenceEquals(key, keys[0]))
                throw new ObjectDisposedException(nameof(TicketSealer));
        }
    }

    /// <summary>
    /// The sealed plaintext, or none when the ticket is too short, names no key we hold, or fails
    /// authentication. Never throws on any input: tickets come from the network.
    /// </summary>
    public Option<byte[]> TryOpen(ReadOnlySpan<byte> ticket)
    {
        if (ticket.Length < Overhead)
            return None;
        var name = ticket[..TicketKey.NameLength];
        foreach (var key in keys)
        {
            if (!key.HasName(name))
                continue;
            var plaintext = new byte[ticket.Length - Overhead];
            var ok = key.TryDecrypt(
                ticket.Slice(TicketKey.NameLength, IvLength),
                ticket.Slice(TicketKey.NameLength + IvLength, plaintext.Length),
                ticket[^TagLength..],
                plaintext);
            return ok ? Some(plaintext) : None;
        }
        return None;
    }

    public void Dispose()
    {
        foreach (var key in keys)
            key.Dispose();
    }
}
