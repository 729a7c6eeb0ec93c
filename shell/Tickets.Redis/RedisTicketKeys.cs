using System.Security.Cryptography;
using StackExchange.Redis;
using Tickets.TicketStore;

namespace Tickets.Redis;

/// <summary>
/// Keeps a process's <see cref="TicketKeyRing"/> in step with the fleet's key ring in Redis, and rotates that ring for
/// the whole fleet. The ring lives under <c>{prefix}ticket-keys</c>, sealed under the KEK (see
/// <see cref="FleetKeyDocument"/> for its content); one process at a time rotates it, holding the lease
/// <c>{prefix}ticket-keys:lease</c>, and announces the new generation on the channel <c>{prefix}ticket-keys:changed</c>.
/// </summary>
/// <remarks>
/// <para>Every process reads the ring when told on the channel, when Redis comes back, and every poll interval anyway
/// (a missed message costs at most one interval). On each poll it also checks whether a rotation is due and, if so,
/// tries the lease; the lease holder reads the ring again before rotating, so processes racing for a due rotation
/// rotate once, not once each.</para>
/// <para>The engine only ever sees the <see cref="TicketKeyRing"/>, which must not rotate on its own
/// (<see cref="TicketKeyRingOptions.ForKeyFile"/>): this class <see cref="TicketKeyRing.Replace(IReadOnlyList{TicketKey})"/>s its keys with the
/// live keys of the fleet ring, in ring order — sealing key first — whenever that list changes (a new ring, a staged
/// key becoming active, a retired key's retention ending).</para>
/// <para>When Redis is unavailable the ring keeps the last known keys: tickets are still issued and opened with them,
/// and they still activate and expire on time because the whole schedule is in the last known document. If Redis comes
/// back empty (restarted without persistence), the next poll writes the last known ring back, so tickets in flight keep
/// resuming across the fleet. A ring that does not open under this process's KEK is never overwritten: it is reported
/// once and the last known keys stay.</para>
/// <para>The ring never rolls back: a ring in Redis of an older generation than the one this process follows (Redis
/// restored from an old backup, or a hostile Redis replaying a ring it once held, perhaps with keys since stolen) is
/// refused, reported once, and treated like a missing ring: the known ring is written back above it. A process that
/// never saw a newer generation cannot tell; see docs/security.md.</para>
/// </remarks>
internal sealed class RedisTicketKeys : IDisposable
{
    private readonly FleetConnection redis;
    private readonly FleetKek kek;
    private readonly TicketKeyRing ring;
    private readonly RedisTicketKeysOptions options;
    private readonly Action<string> log;
    private readonly TimeProvider time;
    private readonly RedisLease lease;
    // One sync or rotation at a time: the poll, pub/sub and callers would otherwise race to apply rings.
    private readonly SemaphoreSlim gate = new(1, 1);
    private FleetKeyDocument? known;
    private IReadOnlyList<byte[]> applied = [];
    private ITimer? poll;
    private bool subscribed;
    private bool unreadableReported;
    private bool rollbackReported;
    private int disposed;

    /// <param name="redis">The process's fleet connection.</param>
    /// <param name="kek">The fleet's key-encryption key.</param>
    /// <param name="ring">The ring the engine uses; its keys are replaced, it is not owned.</param>
    /// <param name="options">Rotation and polling; defaults if null.</param>
    /// <param name="log">Where rotations and problems are reported (never key material).</param>
    public RedisTicketKeys(FleetConnection redis, FleetKek kek, TicketKeyRing ring, RedisTicketKeysOptions? options, Action<string> log)
    {
        this.redis = redis ?? throw new ArgumentNullException(nameof(redis));
        this.kek = kek ?? throw new ArgumentNullException(nameof(kek));
        this.ring = ring ?? throw new ArgumentNullException(nameof(ring));
        this.log = log ?? throw new ArgumentNullException(nameof(log));
        this.options = options ?? new RedisTicketKeysOptions();
        if (this.options.PollInterval <= TimeSpan.Zero || this.options.LeaseTime <= TimeSpan.Zero
            || this.options.EffectiveActivationDelay < TimeSpan.Zero || this.options.Retention < TimeSpan.Zero
            || this.options.RotationInterval is { } every && every <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "Intervals must be positive and delays not negative.");
        }

        time = this.options.TimeProvider;
        DocumentKey = redis.Key("ticket-keys");
        Channel = redis.Key("ticket-keys:changed");
        lease = new RedisLease(redis, redis.Key("ticket-keys:lease"));
    }

    /// <summary>The Redis key holding the sealed ring.</summary>
    public string DocumentKey { get; }

    /// <summary>The pub/sub channel announcing a new ring.</summary>
    public string Channel { get; }

    /// <summary>The Redis key of the rotation lease.</summary>
    public string LeaseKey => lease.Key;

    /// <summary>The generation of the ring this process follows; 0 before it ever read or wrote one.</summary>
    public ulong Generation => Volatile.Read(ref known)?.Generation ?? 0;

    /// <summary>
    /// Reads the fleet's ring (writing a first one when Redis has none), subscribes to changes and starts the poll.
    /// Returns once that first attempt is over, whether Redis answered or not: without Redis the ring keeps its own key
    /// and the poll keeps trying.
    /// </summary>
    public async Task StartAsync()
    {
        await SyncAsync(rotateIfDue: true).ConfigureAwait(false);
        await EnsureSubscribedAsync().ConfigureAwait(false);
        redis.Restored += OnRedisRestored;
        poll = time.CreateTimer(_ => _ = SyncAsync(rotateIfDue: true), null, options.PollInterval, options.PollInterval);
    }

    /// <summary>Reads the ring from Redis and applies it; Found when Redis held a ring that opened under our KEK.</summary>
    public async Task<FleetStatus> RefreshAsync()
    {
        await gate.WaitAsync().ConfigureAwait(false);
        try
        {
            var status = await RefreshLockedAsync().ConfigureAwait(false);
            ApplyLocked();
            return status;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Rotates the fleet's ring if the rotation interval has passed (or Redis has no ring), holding the lease.</summary>
    public Task<RotationOutcome> RotateIfDueAsync() => RotateAsync(force: false);

    /// <summary>Rotates the fleet's ring now, holding the lease; the new key seals after the activation delay.</summary>
    public Task<RotationOutcome> RotateNowAsync() => RotateAsync(force: true);

    /// <summary>
    /// Stops following the fleet: no more polls, no more reactions to messages. The subscription ends with the
    /// connection, which its owner closes.
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
            return;
        redis.Restored -= OnRedisRestored;
        poll?.Dispose();
    }

    private void OnRedisRestored(object? sender, EventArgs e) => _ = SyncAsync(rotateIfDue: true);

    // The poll's (and pub/sub's) pass: read, rotate if due, apply the schedule. Never throws: it runs unobserved.
    private async Task SyncAsync(bool rotateIfDue)
    {
        if (Volatile.Read(ref disposed) != 0)
            return;
        await gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (Volatile.Read(ref disposed) != 0)
                return;
            var status = await RefreshLockedAsync().ConfigureAwait(false);
            if (rotateIfDue && (status == FleetStatus.Missing && !unreadableReported || status == FleetStatus.Found && Due(known!)))
                await RotateLockedAsync(force: false).ConfigureAwait(false);
            ApplyLocked();
            if (status != FleetStatus.Unavailable)
                await EnsureSubscribedAsync().ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
            // The ring was disposed under us as the server stopped.
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<RotationOutcome> RotateAsync(bool force)
    {
        await gate.WaitAsync().ConfigureAwait(false);
        try
        {
            var outcome = await RotateLockedAsync(force).ConfigureAwait(false);
            ApplyLocked();
            return outcome;
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<RotationOutcome> RotateLockedAsync(bool force)
    {
        var (acquired, token) = await lease.TryAcquireAsync(options.LeaseTime).ConfigureAwait(false);
        if (acquired == LeaseOutcome.Unavailable)
            return RotationOutcome.Unavailable;
        if (acquired == LeaseOutcome.HeldElsewhere)
            return RotationOutcome.LeaseHeldElsewhere;
        try
        {
            // Read again under the lease: whoever held it before us may have rotated already.
            var status = await RefreshLockedAsync().ConfigureAwait(false);
            var now = time.GetUtcNow();
            FleetKeyDocument next;
            switch (status)
            {
                case FleetStatus.Unavailable:
                    return RotationOutcome.Unavailable;
                case FleetStatus.Missing when unreadableReported:
                    return RotationOutcome.Refused;
                case FleetStatus.Missing:
                    // No ring in Redis: a new fleet, or Redis restarted empty. Write back what we know, if anything.
                    next = known is null ? FleetKeyDocument.Create(now)
                        : force || Due(known) ? known.Rotated(now, options.EffectiveActivationDelay, options.Retention)
                        : known.Republished();
                    break;
                default:
                    if (!force && !Due(known!))
                        return RotationOutcome.NotDue;
                    next = known!.Rotated(now, options.EffectiveActivationDelay, options.Retention);
                    break;
            }

            var plaintext = next.Serialize();
            var sealedRing = kek.Seal(DocumentKey, plaintext);
            CryptographicOperations.ZeroMemory(plaintext);
            var (written, _) = await redis.RunAsync(db => db.StringSetAsync(DocumentKey, sealedRing)).ConfigureAwait(false);
            if (!written)
                return RotationOutcome.Unavailable;
            Volatile.Write(ref known, next);
            // Others would find the ring on their next poll anyway; the message only makes it sooner.
            await redis.RunAsync(db => db.PublishAsync(RedisChannel.Literal(Channel), (long)next.Generation)).ConfigureAwait(false);
            log(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"ticket keys: wrote generation {next.Generation} to redis ({next.Entries.Count} keys, newest seals from {next.Entries[0].ActivatesAt:u})"));
            return RotationOutcome.Rotated;
        }
        finally
        {
            await lease.ReleaseAsync(token).ConfigureAwait(false);
        }
    }

    private async Task<FleetStatus> RefreshLockedAsync()
    {
        var (ok, value) = await redis.RunAsync(db => db.StringGetAsync(DocumentKey)).ConfigureAwait(false);
        if (!ok)
            return FleetStatus.Unavailable;
        if (value.IsNull)
        {
            unreadableReported = false;
            return FleetStatus.Missing;
        }

        var document = kek.TryOpen(DocumentKey, (byte[])value!).Bind(plain =>
        {
            // The plaintext holds every key of the ring; the parsed document has its own copies.
            try
            {
                return FleetKeyDocument.Parse(plain);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(plain);
            }
        });
        if (document.Case is not FleetKeyDocument opened)
        {
            if (!unreadableReported)
                log($"ticket keys in redis at {DocumentKey} do not open under this process's KEK; keeping the last known keys");
            unreadableReported = true;
            return FleetStatus.Missing;
        }

        unreadableReported = false;
        if (Volatile.Read(ref known) is { } current && opened.Generation < current.Generation)
        {
            if (!rollbackReported)
            {
                log(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"ticket keys in redis at {DocumentKey} are generation {opened.Generation}, older than generation {current.Generation} known here; refusing to roll back, keeping the known keys"));
            }

            rollbackReported = true;
            return FleetStatus.Missing;
        }

        rollbackReported = false;
        Volatile.Write(ref known, opened);
        return FleetStatus.Found;
    }

    // Hands the ring the live keys of the known document, if they differ from what it holds.
    private void ApplyLocked()
    {
        if (known is null)
            return;
        var live = known.Live(time.GetUtcNow(), options.Retention);
        if (live.Count == applied.Count && live.Select((entry, i) => CryptographicOperations.FixedTimeEquals(entry.Name, applied[i])).All(same => same))
            return;
        var newSealer = applied.Count == 0 || !CryptographicOperations.FixedTimeEquals(live[0].Name, applied[0]);
        ring.Replace(live.Select(entry => new TicketKey(entry.Name, entry.Key)).ToArray());
        applied = live.Select(entry => entry.Name).ToArray();
        // Operators (and tests) see when tickets start coming out under another key; names and keys stay out of it.
        if (newSealer)
            log(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"ticket keys: a new key seals now (fleet generation {known.Generation}, {live.Count} keys)"));
    }

    private bool Due(FleetKeyDocument document) =>
        options.RotationInterval is { } every && document.RotationDue(time.GetUtcNow(), every);

    private async Task EnsureSubscribedAsync()
    {
        if (subscribed || Volatile.Read(ref disposed) != 0)
            return;
        try
        {
            await redis.Subscriber.SubscribeAsync(RedisChannel.Literal(Channel), (_, _) => _ = SyncAsync(rotateIfDue: false))
                .WaitAsync(redis.OperationTimeout).ConfigureAwait(false);
            subscribed = true;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Redis is away (the client reports that in several exception types, see FleetConnection); the poll
            // retries the subscription once Redis answers, and reads the ring meanwhile.
        }
    }
}
