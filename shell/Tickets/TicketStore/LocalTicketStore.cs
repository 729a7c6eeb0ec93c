using Tickets.Core.Model;

namespace Tickets.TicketStore;

/// <summary>
/// The ticket store of one process, and the default of every <see cref="TicketServerContext"/>: stateless tickets are
/// sealed under a key ring (its own random keys rotating on a timer, or the keys of a key file shared with other
/// servers and followed while it changes), stateful sessions live in an in-process session cache (≈ OpenSSL's internal
/// cache), and single-use tickets are remembered in a used-ticket memory shared by the whole process.
/// </summary>
/// <remarks>
/// <para>OpenSSL 3.0 in stateful TLS 1.3 mode (SSL_OP_NO_TICKET) looks the session up and leaves it in the cache; it
/// removes it only when early data with anti-replay is on. This store does the same: a stateful ticket resumes as often
/// as a stateless one, until it expires or is evicted; when tickets are single use, spending one removes its session.
/// A stateless single-use ticket is spent by remembering a digest of it until it expires.</para>
/// <para>Settings may change at any time from any thread; tickets in flight keep opening where they can (a new key file
/// replaces the keys, so tickets sealed under the old ones no longer open unless the file holds them too).</para>
/// </remarks>
public sealed class LocalTicketStore : ITicketStore, INamedTicketKeys
{
    /// <summary>Twelve hours: short enough that a stolen key exposes half a day of tickets, long enough to stay cheap.</summary>
    public static readonly TimeSpan DefaultRotationInterval = TicketKeyRingOptions.DefaultRotationInterval;

    /// <summary>OpenSSL's default session cache size (SSL_SESSION_CACHE_MAX_SIZE_DEFAULT, 20 × 1024 sessions).</summary>
    public const int DefaultSessionCacheSize = SessionCache.DefaultCapacity;

    /// <summary>The default bound on the bytes the stateful session cache holds: 64 MiB.</summary>
    public const long DefaultSessionCacheBytes = SessionCache.DefaultCapacityBytes;

    /// <summary>
    /// Single use holds across the whole process: every store on the system clock shares this memory, so two contexts
    /// opening the same key file cannot each accept the same ticket once. Entries are digests, so sharing reveals
    /// nothing between them.
    /// </summary>
    private static readonly UsedTicketMemory ProcessWideUsedTickets = new();

    private readonly Lock gate = new();
    private readonly TimeProvider time;
    private readonly EntropySource entropy;
    // False when someone else decides the ring's keys (a fleet): then it never rotates on its own, and no key file replaces it.
    private readonly bool ownsKeys;
    private TicketKeyRing ring;
    private TicketKeyFileWatcher? watcher;
    private SessionCache cache;
    private TimeSpan? rotationInterval = DefaultRotationInterval;

    /// <summary>
    /// A store with one fresh random key, rotating every <see cref="DefaultRotationInterval"/>, and an empty session
    /// cache of <see cref="DefaultSessionCacheSize"/> sessions.
    /// </summary>
    /// <param name="timeProvider">
    /// The clock of key rotation, key retention and session expiry: the same as the context's
    /// (<see cref="TicketServerContext.TimeProvider"/>), which issues tickets and judges their age. Null: the system clock.
    /// </param>
    public LocalTicketStore(TimeProvider? timeProvider = null)
        : this(timeProvider ?? TimeProvider.System, EntropySource.System)
    {
    }

    /// <summary>The store a context makes for itself, on the context's clock and entropy source.</summary>
    internal LocalTicketStore(TimeProvider time, EntropySource entropy)
        : this(time, entropy, new TicketKeyRing(new TicketKeyRingOptions { RotationInterval = DefaultRotationInterval, TimeProvider = time }), ownsKeys: true)
    {
    }

    /// <summary>
    /// A store sealing with <paramref name="keys"/>, whose keys someone else decides (a fleet feeds them in): it never
    /// rotates them, and the store disposes the ring with itself.
    /// </summary>
    internal LocalTicketStore(TimeProvider time, EntropySource entropy, TicketKeyRing keys, int sessionCacheSize, long sessionCacheBytes)
        : this(time, entropy, keys, ownsKeys: false)
    {
        ReplaceCache(sessionCacheSize, sessionCacheBytes);
    }

    private LocalTicketStore(TimeProvider time, EntropySource entropy, TicketKeyRing keys, bool ownsKeys)
    {
        this.time = time;
        this.entropy = entropy;
        this.ownsKeys = ownsKeys;
        ring = keys;
        cache = new SessionCache(SessionCache.DefaultCapacity, time, entropy);
        // The process-wide memory runs on the system clock; a store on another clock (a test's) keeps its own.
        UsedTickets = ReferenceEquals(time, TimeProvider.System) ? ProcessWideUsedTickets : new UsedTicketMemory(timeProvider: time);
    }

    /// <summary>Raised when the key file changed and its keys are now in use.</summary>
    public event EventHandler? KeyFileReloaded;

    /// <summary>Raised when a changed key file could not be used; the keys in use stay. Messages hold no key material.</summary>
    public event EventHandler<TicketKeyFileException>? KeyFileReloadFailed;

    /// <summary>
    /// How often the store's own key is replaced by a fresh random one (default <see cref="DefaultRotationInterval"/>;
    /// null: never). A ticket sealed with an earlier key still resumes for as long as it lives, and the tickets issued
    /// then are sealed with the current key; the earlier key is dropped once the last ticket it sealed has expired. Kept,
    /// but without effect, while a key file is in use: the file decides (each server rotating on its own would split a
    /// fleet).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The interval is zero or negative.</exception>
    public TimeSpan? RotationInterval
    {
        get
        {
            lock (gate)
                return rotationInterval;
        }

        set
        {
            if (value is { } interval && interval <= TimeSpan.Zero)
                throw new ArgumentOutOfRangeException(nameof(value), "The ticket key rotation interval must be positive.");
            lock (gate)
            {
                rotationInterval = value;
                if (ownsKeys && KeyFilePath is null)
                    ring.RotationInterval = value;
            }
        }
    }

    /// <summary>The full path of the key file in use, or null while the store uses its own random keys.</summary>
    public string? KeyFilePath { get; private set; }

    /// <summary>
    /// The names of the ticket keys held now, the sealing one first. Names are not secret (every ticket carries its key's
    /// name in the clear); they let an operator see which key sealed a ticket.
    /// </summary>
    public IReadOnlyList<byte[]> KeyNames => Keys.KeyNames;

    /// <inheritdoc />
    byte[] INamedTicketKeys.CurrentKeyName => Keys.CurrentKeyName;

    /// <summary>
    /// ≈ SSL_CTX_sess_set_cache_size for stateful mode: the most sessions kept (default
    /// <see cref="DefaultSessionCacheSize"/>); the least recently used makes room. Changing it starts an empty cache (the
    /// sessions held are wiped), as resizing is rare and a client whose session is gone only pays a full handshake.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The size is zero or negative.</exception>
    public int SessionCacheSize
    {
        get => Cache.Capacity;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value);
            ReplaceCache(value, Cache.CapacityBytes);
        }
    }

    /// <summary>
    /// The most bytes the stateful session cache holds (default <see cref="DefaultSessionCacheBytes"/>): each session
    /// counts its state, which includes the client's whole leaf certificate when it presented one, plus about 160 bytes.
    /// A client chooses its certificate's size, so a cache bounded in entries alone could be filled with 20 480 × 128 KiB;
    /// the least recently used sessions make room, and a session larger than the whole limit is not kept (its ticket
    /// resumes nothing). Changing it starts an empty cache, like <see cref="SessionCacheSize"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The limit is too small to hold any session.</exception>
    public long SessionCacheBytes
    {
        get => Cache.CapacityBytes;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, SessionCache.EntryOverhead + 1L);
            ReplaceCache(Cache.Capacity, value);
        }
    }

    private void ReplaceCache(int capacity, long capacityBytes)
    {
        SessionCache old;
        lock (gate)
        {
            old = cache;
            cache = new SessionCache(capacity, time, entropy, capacityBytes);
        }

        old.Dispose();
    }

    /// <summary>The ring that seals and opens stateless tickets now.</summary>
    internal TicketKeyRing Keys
    {
        get
        {
            lock (gate)
                return ring;
        }
    }

    /// <summary>The cache behind stateful tickets.</summary>
    internal SessionCache Cache
    {
        get
        {
            lock (gate)
                return cache;
        }
    }

    /// <summary>Which stateless single-use tickets were spent: the process-wide memory on the system clock.</summary>
    internal UsedTicketMemory UsedTickets { get; set; }

    /// <summary>
    /// Switches to the keys of a key file (see <see cref="TicketKeyFile"/>), current key first, watched for changes from
    /// now on: servers sharing the file resume each other's tickets, and a fleet rotates by rewriting it. Tickets sealed
    /// with the previous keys no longer open (unless the file holds those keys too).
    /// </summary>
    /// <param name="path">The key file, private to its owner (mode 0600).</param>
    /// <param name="pollInterval">How often the file is checked besides change notifications (default 5 s).</param>
    /// <exception cref="TicketKeyFileException">The file cannot be used; the keys in use stay.</exception>
    /// <exception cref="InvalidOperationException">This store's keys are decided by a fleet.</exception>
    public void UseKeyFile(string path, TimeSpan? pollInterval = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!ownsKeys)
            throw new InvalidOperationException("A fleet decides these ticket keys; a key file cannot replace them.");
        var fileRing = TicketKeyFile.LoadRing(path, time);
        TicketKeyFileWatcher fileWatcher;
        try
        {
            fileWatcher = new TicketKeyFileWatcher(path, fileRing, pollInterval, time);
        }
        catch
        {
            fileRing.Dispose();
            throw;
        }

        fileWatcher.Reloaded += (_, e) => KeyFileReloaded?.Invoke(this, e);
        fileWatcher.ReloadFailed += (_, e) => KeyFileReloadFailed?.Invoke(this, e);
        TicketKeyRing oldRing;
        TicketKeyFileWatcher? oldWatcher;
        lock (gate)
        {
            (oldRing, ring) = (ring, fileRing);
            (oldWatcher, watcher) = (watcher, fileWatcher);
            KeyFilePath = Path.GetFullPath(path);
        }

        oldWatcher?.Dispose();
        oldRing.Dispose();
    }

    /// <inheritdoc />
    public ValueTask<byte[]> IssueAsync(TicketMode mode, ReadOnlyMemory<byte> sessionState, TimeSpan lifetime, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Issue(mode, sessionState.Span, lifetime));

    /// <inheritdoc />
    public ValueTask<byte[]?> OpenAsync(TicketMode mode, ReadOnlyMemory<byte> ticket, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Open(mode, ticket.Span));

    /// <inheritdoc />
    public ValueTask<bool> ConsumeAsync(TicketMode mode, ReadOnlyMemory<byte> ticket, DateTimeOffset expires, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Consume(mode, ticket.Span, expires));

    /// <summary>
    /// The ticket for <paramref name="sessionState"/>: sealed under the current key (stateless; the ring learns how long
    /// the ticket lives, so a retired key opens no longer than its tickets can be used), or a fresh 16-byte id with the
    /// state kept in the cache for the ticket's lifetime (stateful).
    /// </summary>
    internal byte[] Issue(TicketMode mode, ReadOnlySpan<byte> sessionState, TimeSpan lifetime)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(lifetime, TimeSpan.Zero);
        if (mode == TicketMode.Stateless)
            return Keys.Seal(sessionState, lifetime);

        // A zero lifetime (--session-timeout 0) makes a ticket that can never resume: storing it would only evict a live
        // session, so the client gets an id that names nothing.
        return lifetime == TimeSpan.Zero
            ? entropy.GetBytes(SessionCache.IdLength, EntropyUse.SessionId)
            : Cache.Add(sessionState, lifetime);
    }

    /// <summary>The session state behind a ticket, or null; only looks.</summary>
    internal byte[]? Open(TicketMode mode, ReadOnlySpan<byte> ticket)
    {
        var state = mode == TicketMode.Stateless ? Keys.TryOpen(ticket) : Cache.TryGet(ticket);
        return state.MatchUnsafe(bytes => bytes, () => null);
    }

    /// <summary>
    /// Spends a single-use ticket: a stateful one leaves the cache, a stateless one is remembered until
    /// <paramref name="expires"/>. True only the first time.
    /// </summary>
    internal bool Consume(TicketMode mode, ReadOnlySpan<byte> ticket, DateTimeOffset expires) =>
        mode == TicketMode.Stateful ? Cache.Remove(ticket) : UsedTickets.TryConsume(ticket, expires);

    /// <summary>Disposes the keys (AES-GCM wipes them), stops following the key file and wipes every cached session.</summary>
    public void Dispose()
    {
        lock (gate)
        {
            watcher?.Dispose();
            ring.Dispose();
            cache.Dispose();
        }
    }
}
