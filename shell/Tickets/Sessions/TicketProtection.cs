using System.Security.Cryptography;
using Tickets.Core.Model;
using Tickets.Fleet;
using Tickets.TicketStore;

namespace Tickets.Sessions;

/// <summary>
/// Everything that turns session state into the ticket a client holds, and a presented ticket back into state: the key
/// ring (own random keys rotating on a timer, or a key file shared by a fleet), the session cache of stateful mode,
/// and the memory of used tickets behind single use. The handshake and the issuer only see three verbs — protect,
/// open, consume — so the choice between these mechanisms lives in this one place.
/// </summary>
/// <remarks>
/// <para>Order matters on resumption: <see cref="Open"/> only looks, the handshake then verifies the PSK binder, and only
/// then <see cref="Consume"/> spends a single-use ticket. A forged ClientHello replaying someone's ticket without its
/// PSK fails the binder and so cannot burn the ticket for its owner.</para>
/// <para>OpenSSL 3.0 in stateful TLS 1.3 mode (SSL_OP_NO_TICKET) looks the session up and leaves it in the cache;
/// it removes it only when early data with anti-replay is on. We do the same: a stateful ticket resumes as often as a
/// stateless one, until it expires or is evicted; with single use it is removed from the cache when it is spent.</para>
/// </remarks>
internal sealed class TicketProtection : IDisposable
{
    /// <summary>
    /// Single use holds across the whole process: every context shares this memory, so two contexts opening the same
    /// key file cannot each accept the same ticket once. Entries are digests, so sharing reveals nothing between them.
    /// </summary>
    private static readonly UsedTicketMemory ProcessWideUsedTickets = new();

    private readonly Lock gate = new();
    private TicketKeyRing ring;
    private TicketKeyFileWatcher? watcher;
    private SessionCache cache = new();
    private TimeSpan? rotationInterval = TicketKeyRingOptions.DefaultRotationInterval;
    private FleetTickets? fleet;

    public TicketProtection()
    {
        ring = new TicketKeyRing(new TicketKeyRingOptions { RotationInterval = rotationInterval });
    }

    /// <summary>Raised when the key file changed and its keys are now in use.</summary>
    public event EventHandler? KeyFileReloaded;

    /// <summary>Raised when a changed key file could not be used; the keys in use stay. Messages hold no key material.</summary>
    public event EventHandler<TicketKeyFileException>? KeyFileReloadFailed;

    /// <summary>The ring that seals and opens stateless tickets now.</summary>
    public TicketKeyRing Keys
    {
        get
        {
            lock (gate)
                return ring;
        }
    }

    /// <summary>The key file in use, or null while the context rotates its own random keys.</summary>
    public string? KeyFilePath { get; private set; }

    /// <summary>
    /// Rotation of the context's own keys; null turns it off. With a key file the file decides which key seals (each
    /// server rotating on its own would split a fleet), so the value is only kept for when no file is used.
    /// </summary>
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
                // A key file or a fleet decides rotation itself; the own ring only rotates when it is the only one.
                if (KeyFilePath is null && fleet is null)
                    ring.RotationInterval = value;
            }
        }
    }

    /// <summary>Each ticket resumes at most once (RFC 8446 §8, Appendix C.4).</summary>
    public bool SingleUse { get; set; }

    /// <summary>Which tickets were spent; the process-wide memory unless a test supplies its own clock.</summary>
    public UsedTicketMemory UsedTickets { get; set; } = ProcessWideUsedTickets;

    /// <summary>The store behind stateful tickets.</summary>
    public SessionCache Cache
    {
        get
        {
            lock (gate)
                return cache;
        }
    }

    /// <summary>
    /// The most sessions stateful mode keeps. Changing it starts an empty cache (the sessions held are wiped), as
    /// resizing is rare and a client whose session is gone only pays a full handshake.
    /// </summary>
    public int CacheCapacity
    {
        get => Cache.Capacity;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value);
            ReplaceCache(value, Cache.CapacityBytes);
        }
    }

    /// <summary>The most bytes the stateful cache holds (see <see cref="SessionCache.CapacityBytes"/>); changing it empties the cache too.</summary>
    public long CacheCapacityBytes
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
            cache = new SessionCache(capacity, capacityBytes: capacityBytes);
        }

        old.Dispose();
    }

    /// <summary>
    /// Switches to the keys of a key file, watched for changes from now on. A bad file throws
    /// <see cref="TicketKeyFileException"/> and leaves the keys in use untouched. Tickets sealed with the previous keys
    /// no longer open (unless the file holds those keys too).
    /// </summary>
    public void UseKeyFile(string path, TimeSpan? pollInterval = null)
    {
        if (Fleet is not null)
            throw new InvalidOperationException("A fleet on Redis decides the ticket keys; a key file cannot replace them.");
        var fileRing = TicketKeyFile.LoadRing(path);
        TicketKeyFileWatcher fileWatcher;
        try
        {
            fileWatcher = new TicketKeyFileWatcher(path, fileRing, pollInterval);
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

    /// <summary>The Redis fleet this server belongs to, or null when it keeps everything in the process.</summary>
    public FleetTickets? Fleet
    {
        get
        {
            lock (gate)
                return fleet;
        }
    }

    /// <summary>
    /// Joins a fleet on Redis: stateless tickets are sealed with the fleet's key ring (replacing the own keys or a key
    /// file), stateful sessions live in Redis, and single use holds across the fleet. Tickets sealed with the previous
    /// keys no longer open. Redis being away does not fail this: see <see cref="FleetTickets.JoinAsync"/>.
    /// </summary>
    public async Task UseFleetAsync(FleetOptions options, Action<string> log)
    {
        var joined = await FleetTickets.JoinAsync(options, log).ConfigureAwait(false);
        TicketKeyRing oldRing;
        TicketKeyFileWatcher? oldWatcher;
        FleetTickets? oldFleet;
        lock (gate)
        {
            (oldRing, ring) = (ring, joined.Ring);
            (oldWatcher, watcher) = (watcher, null);
            (oldFleet, fleet) = (fleet, joined);
            KeyFilePath = null;
        }

        oldWatcher?.Dispose();
        if (oldFleet is not null)
            await oldFleet.DisposeAsync().ConfigureAwait(false);
        else
            oldRing.Dispose();
    }

    /// <summary>
    /// <see cref="Protect"/>, with a fleet: a stateful session goes to Redis so any member resumes it. If Redis cannot take
    /// it, the session stays in this process's cache instead: the ticket then resumes here only, but the client still
    /// gets one.
    /// </summary>
    public async ValueTask<byte[]> ProtectAsync(TicketMode mode, ReadOnlyMemory<byte> sessionState, uint lifetimeSeconds)
    {
        var shared = Fleet;
        if (shared is null || mode == TicketMode.Stateless || lifetimeSeconds == 0)
            return Protect(mode, sessionState.Span, lifetimeSeconds);
        var lifetime = TimeSpan.FromSeconds(lifetimeSeconds);
        var id = await shared.Sessions.AddAsync(sessionState, lifetime).ConfigureAwait(false);
        return id.Case is byte[] stored ? stored : Cache.Add(sessionState.Span, lifetime);
    }

    /// <summary>
    /// <see cref="Open"/>, with a fleet: a stateful ticket is looked up in this process's cache (sessions kept here while
    /// Redis was away), then in Redis. Redis being unavailable reads as "not found": a full handshake.
    /// </summary>
    public async ValueTask<byte[]?> OpenAsync(TicketMode mode, ReadOnlyMemory<byte> ticket)
    {
        var shared = Fleet;
        if (shared is null || mode == TicketMode.Stateless)
            return Open(mode, ticket.Span);
        if (Open(mode, ticket.Span) is { } local)
            return local;
        var lookup = await shared.Sessions.TryGetAsync(ticket).ConfigureAwait(false);
        return lookup.Status == FleetStatus.Found ? lookup.Value : null;
    }

    /// <summary>
    /// <see cref="Consume"/>, with a fleet: single use holds across every member. A stateful ticket is spent by deleting
    /// its session (only one DEL in the fleet finds it), a stateless one by marking it used in Redis. When Redis cannot
    /// say, the ticket is refused: a full handshake is cheap, a replay is not.
    /// </summary>
    /// <remarks>
    /// Redis decides, but it is not trusted to remember: each member also keeps the tickets it spent itself in its
    /// <see cref="UsedTickets"/>, a second line that refuses them here even when Redis has forgotten them (restarted
    /// without persistence, failed over, or hostile: deleting a used mark or putting back a taken session). A replay on
    /// another member still needs Redis to remember; see docs/security.md.
    /// </remarks>
    public async ValueTask<bool> ConsumeAsync(TicketMode mode, ReadOnlyMemory<byte> ticket, DateTimeOffset expires)
    {
        var shared = Fleet;
        if (!SingleUse || shared is null)
            return Consume(mode, ticket.Span, expires);
        if (UsedTickets.WasConsumed(ticket.Span))
            return false;
        var consumed = mode == TicketMode.Stateful
            ? Cache.Remove(ticket.Span) || await shared.Sessions.RemoveAsync(ticket).ConfigureAwait(false)
            : await shared.UsedTickets.TryConsumeAsync(ticket, expires).ConfigureAwait(false) == ConsumeOutcome.Consumed;
        if (consumed)
        {
            // Only after Redis agreed: a ticket Redis could not vouch for was refused, not spent. When the memory is full
            // of live tickets it keeps no more, and Redis alone decides for the rest.
            UsedTickets.TryConsume(ticket.Span, expires);
        }

        return consumed;
    }

    /// <summary>
    /// The ticket for <paramref name="sessionState"/>: sealed under the current key (stateless), or a fresh 16-byte id
    /// with the state kept in the cache for the ticket's lifetime (stateful).
    /// </summary>
    public byte[] Protect(TicketMode mode, ReadOnlySpan<byte> sessionState, uint lifetimeSeconds)
    {
        // The ring learns how long the ticket lives, so a retired key opens no longer than its tickets can be used.
        if (mode == TicketMode.Stateless)
            return Keys.Seal(sessionState, TimeSpan.FromSeconds(lifetimeSeconds));

        // A zero lifetime (--session-timeout 0) makes a ticket that can never resume: storing it would only evict a
        // live session, so the client gets an id that names nothing.
        return lifetimeSeconds == 0
            ? RandomNumberGenerator.GetBytes(SessionCache.IdLength)
            : Cache.Add(sessionState, TimeSpan.FromSeconds(lifetimeSeconds));
    }

    /// <summary>
    /// The session state behind a presented ticket, or null when we cannot use it (unknown key or id, tampered,
    /// expired key, evicted). Only looks: nothing is spent until <see cref="Consume"/>.
    /// </summary>
    public byte[]? Open(TicketMode mode, ReadOnlySpan<byte> ticket)
    {
        var state = mode == TicketMode.Stateless ? Keys.TryOpen(ticket) : Cache.TryGet(ticket);
        return state.MatchUnsafe(bytes => bytes, () => null);
    }

    /// <summary>
    /// Called once the binder proved the client holds the ticket's PSK: true when the ticket may resume. Without single
    /// use that is always so; with it, only the first time (a stateful ticket leaves the cache, a stateless one is
    /// remembered until <paramref name="expires"/>).
    /// </summary>
    public bool Consume(TicketMode mode, ReadOnlySpan<byte> ticket, DateTimeOffset expires)
    {
        if (!SingleUse)
            return true;
        return mode == TicketMode.Stateful ? Cache.Remove(ticket) : UsedTickets.TryConsume(ticket, expires);
    }

    public void Dispose()
    {
        lock (gate)
        {
            watcher?.Dispose();
            // The fleet owns its ring.
            if (fleet is not null)
                fleet.Dispose();
            else
                ring.Dispose();
            cache.Dispose();
        }
    }
}
