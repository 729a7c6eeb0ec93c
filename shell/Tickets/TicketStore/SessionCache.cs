using System.Buffers.Binary;
using System.Security.Cryptography;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Tickets.TicketStore;

/// <summary>
/// The server-side store behind stateful tickets (SSL_OP_NO_TICKET): the ticket the client gets is a short random
/// id, and the session state stays here. Bounded in entries, every entry expires with its ticket, and when full the
/// least recently used entry makes room. State bytes hold resumption secrets, so the cache wipes every entry it drops.
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

    private sealed record Entry(UInt128 Id, byte[] State, DateTimeOffset Expires);

    private readonly TimeProvider time;
    private readonly EntropySource entropy;
    private readonly Lock gate = new();
    private readonly Dictionary<UInt128, LinkedListNode<Entry>> entries = new();
    // Most recently used at the front; eviction takes from the back.
    private readonly LinkedList<Entry> recency = new();

    /// <summary>An empty cache of at most <paramref name="capacity"/> sessions, expiring them on the given clock.</summary>
    public SessionCache(int capacity = DefaultCapacity, TimeProvider? timeProvider = null, EntropySource? entropy = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        Capacity = capacity;
        time = timeProvider ?? TimeProvider.System;
        this.entropy = entropy ?? EntropySource.System;
    }

    /// <summary>The most sessions held at once.</summary>
    public int Capacity { get; }

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
    /// ticket. Expired entries are swept first; if the cache is still full, the least recently used entry is dropped.
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

            if (entries.Count >= Capacity)
                Drop(recency.Last!);
            var node = recency.AddFirst(new Entry(key, state.ToArray(), now + lifetime));
            entries.Add(key, node);
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
        CryptographicOperations.ZeroMemory(node.Value.State);
    }
}
