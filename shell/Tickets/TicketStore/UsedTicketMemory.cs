using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Tickets.TicketStore;

/// <summary>
/// Remembers which tickets have already resumed a session, so that with single-use tickets (RFC 8446 §8 and
/// Appendix C.4) each one resumes at most once across the whole process. A ticket is remembered by a SHA-256 digest
/// of its bytes, never the bytes themselves, and only until it expires: an expired ticket is refused on age anyway.
/// </summary>
/// <remarks>
/// <para>Bounded: when every slot holds a ticket that has not expired yet, <see cref="TryConsume"/> refuses new tickets
/// instead of forgetting an old one. Forgetting would let that old ticket be replayed; refusing only costs the client
/// a full handshake, so the bound fails safe under a flood.</para>
/// <para>Thread-safe: one lock guards the table; every operation is O(log n) at worst.</para>
/// </remarks>
internal sealed class UsedTicketMemory
{
    /// <summary>Enough for a busy single server over a ticket lifetime, at about 100 bytes an entry.</summary>
    public const int DefaultCapacity = 100_000;

    private readonly TimeProvider time;
    private readonly Lock gate = new();
    private readonly Dictionary<UInt128, DateTimeOffset> used;
    // Oldest expiry first, so purging stops at the first ticket still alive.
    private readonly PriorityQueue<UInt128, DateTimeOffset> byExpiry = new();

    /// <summary>An empty memory for at most <paramref name="capacity"/> unexpired tickets, on the given clock.</summary>
    public UsedTicketMemory(int capacity = DefaultCapacity, TimeProvider? timeProvider = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        Capacity = capacity;
        time = timeProvider ?? TimeProvider.System;
        used = new Dictionary<UInt128, DateTimeOffset>();
    }

    /// <summary>The most unexpired tickets remembered at once.</summary>
    public int Capacity { get; }

    /// <summary>How many tickets are remembered now, expired ones included until the next purge.</summary>
    public int Count
    {
        get
        {
            lock (gate)
                return used.Count;
        }
    }

    /// <summary>
    /// True exactly once per ticket: the first time it is presented before <paramref name="expires"/>; false when it
    /// was consumed already, has expired, or the memory is full of live tickets. Call it after the PSK binder verified
    /// (so a forged ClientHello cannot burn someone's ticket) and before accepting the resumption.
    /// </summary>
    /// <param name="ticket">The ticket exactly as the client presented it in pre_shared_key.</param>
    /// <param name="expires">When the ticket stops being acceptable: its issue time plus its lifetime.</param>
    public bool TryConsume(ReadOnlySpan<byte> ticket, DateTimeOffset expires)
    {
        var id = Digest(ticket);
        lock (gate)
        {
            var now = time.GetUtcNow();
            if (expires <= now)
                return false;
            Purge(now);
            if (used.ContainsKey(id) || used.Count >= Capacity)
                return false;
            used.Add(id, expires);
            byExpiry.Enqueue(id, expires);
            return true;
        }
    }

    /// <summary>Whether a ticket was consumed and its record has not expired; for diagnostics and tests.</summary>
    public bool WasConsumed(ReadOnlySpan<byte> ticket)
    {
        var id = Digest(ticket);
        lock (gate)
            return used.TryGetValue(id, out var expires) && expires > time.GetUtcNow();
    }

    private void Purge(DateTimeOffset now)
    {
        while (byExpiry.TryPeek(out var id, out var expires) && expires <= now)
        {
            byExpiry.Dequeue();
            used.Remove(id);
        }
    }

    // 128 bits of SHA-256: a chance collision needs ~2^64 tickets, and forging one needs a second preimage.
    private static UInt128 Digest(ReadOnlySpan<byte> ticket)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(ticket, digest);
        return BinaryPrimitives.ReadUInt128BigEndian(digest);
    }
}
