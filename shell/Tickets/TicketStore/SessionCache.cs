using System.Buffers.Binary;
using System.Security.Cryptography;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Tickets.TicketStore;

/// <summary>
/// The server-side store behind stateful tickets (SSL_OP_NO_TICKET): the ticket the client gets is a short random
/// id, and the session state stays here. Bounded in entries and in bytes, every entry expires with its ticket, and when
/// full the least recently used entries make room. State bytes hold resumption secrets, so the cache wipes every entry
/// it drops.
/// </summary>
/// <remarks>
/// <para><see cref="TryGet"/> leaves the entry in place (and marks it recently used): a stateful ticket resumes as often
/// as OpenSSL 3.0 lets it, until it expires or is evicted. <see cref="Remove"/> spends it, which is how single-use
/// stateful tickets resume once, as OpenSSL's anti-replay does for its cache.</para>
/// <para>Ids are 16 random bytes from the server's <see cref="EntropySource"/>: unguessable, so they need no
/// authentication, and they fit a <see cref="UInt128"/> key.</para>
/// <para>Thread-safe: one lock guards the table and the recency list; every operation is O(1) apart from the
/// expiry sweep on insertion, which only visits entries it drops.</para>
/// </remarks>
internal sealed class SessionCache : IDisposable
{
    /// <summary>Bytes in a session id, and so in a stateful ticket.</summary>
    public const int IdLength = 16;

    /// <summary>OpenSSL's default session cache size (SSL_SESSION_CACHE_MAX_SIZE_DEFAULT, 20 × 1024).</summary>
    public const int DefaultCapacity = 20 * 1024;

    /// <summary>
    /// Default bound on the bytes held: 64 MiB, room for the 20 480 default entries at about 3 KiB each, which a session
    /// with a typical client certificate fits in. A session keeps its client's whole leaf certificate, and a client picks
    /// that size (up to the handshake message limit, 128 KiB): bounded in entries alone, the cache could be made to
    /// hold 20 480 × 128 KiB = 2.5 GiB.
    /// </summary>
    public const long DefaultCapacityBytes = 64L * 1024 * 1024;

    /// <summary>
    /// What an entry costs besides its state bytes (its id, expiry, table slot, recency node and array headers), roughly,
    /// so that many tiny sessions are bounded by the byte limit too.
    /// </summary>
    public const int EntryOverhead = 160;

    private sealed record Entry(UInt128 Id, byte[] State, DateTimeOffset Expires);

    private readonly TimeProvider time;
    private readonly EntropySource entropy;
    private readonly Lock gate = new();
    private readonly Dictionary<UInt128, LinkedListNode<Entry>> entries = new();
    // Most recently used at the front; eviction takes from the back.
    private readonly LinkedList<Entry> recency = new();

    // Bytes held now: every entry's state length plus EntryOverhead.
    private long bytes;

    /// <summary>An empty cache, expiring its sessions on the given clock.</summary>
    /// <param name="capacity">The most sessions held at once.</param>
    /// <param name="timeProvider">The clock for expiry; the system's by default.</param>
    /// <param name="entropy">Where session ids come from; the system's random number generator by default.</param>
    /// <param name="capacityBytes">The most bytes held at once (state bytes plus <see cref="EntryOverhead"/> per entry).</param>
    public SessionCache(
        int capacity = DefaultCapacity, TimeProvider? timeProvider = null, EntropySource? entropy = null, long capacityBytes = DefaultCapacityBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacityBytes, EntryOverhead + 1);
        Capacity = capacity;
        CapacityBytes = capacityBytes;
        time = timeProvider ?? TimeProvider.System;
        this.entropy = entropy ?? EntropySource.System;
    }

    /// <summary>The most sessions held at once.</summary>
    public int Capacity { get; }

    /// <summary>The most bytes held at once, counting each entry's state plus <see cref="EntryOverhead"/>.</summary>
    public long CapacityBytes { get; }

    /// <summary>Bytes held now (state bytes plus <see cref="EntryOverhead"/> per entry), expired entries not yet swept included.</summary>
    public long Bytes
    {
        get
        {
            lock (gate)
                return bytes;
        }
    }

    /// <summary>Sessions held now, including expired ones not yet swept.</summary>
    public int Count
    {
        get
        {
            lock (gate)
                return entries.Count;
        }
    }

    /// <summary>
    /// Stores a copy of <paramref name="state"/> for <paramref name="lifetime"/> and returns the fresh id to send as the
    /// ticket. Expired entries are swept first; while the cache is still full, in entries or in bytes, the least recently
    /// used entries are dropped. A state too large for the whole byte limit is not kept: its id resumes nothing, and
    /// that client's next connection is a full handshake.
    /// </summary>
    public byte[] Add(ReadOnlySpan<byte> state, TimeSpan lifetime)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lifetime, TimeSpan.Zero);
        var id = new byte[IdLength];
        lock (gate)
        {
            var now = time.GetUtcNow();
            SweepExpired(now);
            UInt128 key;
            do
            {
                entropy.Fill(id, EntropyUse.SessionId);
                key = BinaryPrimitives.ReadUInt128BigEndian(id);
            }
            while (entries.ContainsKey(key));

            var cost = Cost(state.Length);
            if (cost > CapacityBytes)
                return id;
            while (entries.Count >= Capacity || bytes + cost > CapacityBytes)
                Drop(recency.Last!);
            var node = recency.AddFirst(new Entry(key, state.ToArray(), now + lifetime));
            entries.Add(key, node);
            bytes += cost;
        }

        return id;
    }

    /// <summary>
    /// A copy of the state stored under <paramref name="id"/>, leaving it cached and marking it most recently used;
    /// none when the id is unknown, malformed or expired.
    /// </summary>
    public Option<byte[]> TryGet(ReadOnlySpan<byte> id)
    {
        lock (gate)
        {
            if (!TryFindLive(id, out var node))
                return None;
            recency.Remove(node);
            recency.AddFirst(node);
            return Some(node.Value.State.ToArray());
        }
    }

    /// <summary>Forgets a session, e.g. after a fatal alert on the connection that used it (RFC 8446 §4.6.1 lets servers do so).</summary>
    public bool Remove(ReadOnlySpan<byte> id)
    {
        lock (gate)
        {
            if (id.Length != IdLength || !entries.TryGetValue(BinaryPrimitives.ReadUInt128BigEndian(id), out var node))
                return false;
            Drop(node);
            return true;
        }
    }

    /// <summary>Wipes and drops every session.</summary>
    public void Dispose()
    {
        lock (gate)
        {
            while (recency.Last is { } last)
                Drop(last);
        }
    }

    private bool TryFindLive(ReadOnlySpan<byte> id, out LinkedListNode<Entry> node)
    {
        node = null!;
        if (id.Length != IdLength || !entries.TryGetValue(BinaryPrimitives.ReadUInt128BigEndian(id), out var found))
            return false;
        if (found.Value.Expires <= time.GetUtcNow())
        {
            Drop(found);
            return false;
        }

        node = found;
        return true;
    }

    // Sweeps from the least recently used end and stops at the first live entry, so it costs only what it drops. An
    // expired entry further up (a shorter lifetime, or one read recently) waits for its turn at the end, or for a read,
    // which refuses and drops it: it can never be returned, and the capacity bounds what it occupies meanwhile.
    private void SweepExpired(DateTimeOffset now)
    {
        while (recency.Last is { } last && last.Value.Expires <= now)
            Drop(last);
    }

    private void Drop(LinkedListNode<Entry> node)
    {
        entries.Remove(node.Value.Id);
        recency.Remove(node);
        bytes -= Cost(node.Value.State.Length);
        CryptographicOperations.ZeroMemory(node.Value.State);
    }

    private static long Cost(int stateLength) => (long)stateLength + EntryOverhead;
}
