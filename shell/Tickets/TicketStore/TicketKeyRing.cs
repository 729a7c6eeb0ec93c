using System.Security.Cryptography;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Tickets.TicketStore;

/// <summary>
/// The ticket keys of a server: exactly one current key seals new tickets; earlier keys only open, for as long as the
/// tickets they sealed can live, and are then disposed (AesGcm wipes its key schedule). A key this ring rotates out
/// keeps opening only until the last ticket it sealed expires (each seal tells the ring the ticket's lifetime), never
/// longer than <see cref="TicketKeyRingOptions.Retention"/>: with two-hour tickets a stolen retired key forges and opens
/// tickets for two hours after its rotation at most, not seven days. Tickets have <see cref="TicketKey"/>'s layout —
/// key name(16) || iv(12) || ciphertext || tag(16) — so the key name in front picks the key, and an unknown or expired
/// name simply fails to open, which the handshake turns into a full handshake.
/// </summary>
/// <remarks>
/// <para>Rotation happens on <see cref="TicketKeyRingOptions.RotationInterval"/>, measured on the injected clock: a timer
/// does it when the server is idle, and every <see cref="Seal"/> and <see cref="TryOpen"/> also checks, so a late timer
/// can never make the ring seal with an overdue key or open with an expired one.</para>
/// <para>Thread-safe: changes are made under a lock and publish a new immutable array; sealing and opening read the array
/// without locking.</para>
/// </remarks>
internal sealed class TicketKeyRing : IDisposable
{
    /// <summary>
    /// One key. <paramref name="Expires"/> is null while the key must stay (the current key; a key file's key the file
    /// sets no bound for). <paramref name="Horizon"/> follows the tickets the key sealed here; it bounds the key's life
    /// only when <paramref name="BoundBySeals"/>, i.e. when this ring retired it (a key file's or fleet's key may have
    /// sealed tickets in other processes too).
    /// </summary>
    private sealed record Entry(TicketKey Key, DateTimeOffset? Expires, SealHorizon Horizon, bool BoundBySeals = false)
    {
        /// <summary>When the key stops opening; null for never (until replaced).</summary>
        public DateTimeOffset? OpensUntil =>
            BoundBySeals && Expires is { } expires ? Min(expires, Horizon.Latest ?? DateTimeOffset.MinValue) : Expires;

        private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
    }

    /// <summary>The latest expiry of any ticket a key sealed, raised before each seal so a ticket never outlives it.</summary>
    private sealed class SealHorizon
    {
        private long latestTicks = long.MinValue;

        public DateTimeOffset? Latest
        {
            get
            {
                var ticks = Interlocked.Read(ref latestTicks);
                return ticks == long.MinValue ? null : new DateTimeOffset(ticks, TimeSpan.Zero);
            }
        }

        public void Extend(DateTimeOffset until)
        {
            var ticks = until.UtcTicks;
            var seen = Interlocked.Read(ref latestTicks);
            while (ticks > seen)
            {
                var previous = Interlocked.CompareExchange(ref latestTicks, ticks, seen);
                if (previous == seen)
                    return;
                seen = previous;
            }
        }
    }

    private readonly TimeProvider time;
    private TimeSpan? rotationInterval;
    private readonly TimeSpan retention;
    private readonly Lock gate = new();
    private readonly ITimer timer;
    private volatile Entry[] entries;
    private DateTimeOffset nextRotation;
    // The earliest instant at which maintenance has something to do, as UTC ticks so readers check it without the lock.
    private long nextDueTicks;
    private bool disposed;

    /// <summary>A ring starting with one fresh random key, rotating automatically unless the options say otherwise.</summary>
    public TicketKeyRing(TicketKeyRingOptions? options = null)
        : this([TicketKey.Generate()], options)
    {
    }

    /// <summary>
    /// A ring over given keys, which it now owns: the first seals, the rest only open, until <see cref="Replace(IReadOnlyList{TicketKey})"/>
    /// drops them. This is how a key file's keys enter the ring.
    /// </summary>
    public TicketKeyRing(IReadOnlyList<TicketKey> keys, TicketKeyRingOptions? options = null)
        : this(keys, options, opensUntil: null)
    {
    }

    /// <summary>
    /// A ring over given keys, each opening until its entry of <paramref name="opensUntil"/> (null: until replaced); the
    /// first always seals. This is how a key file's creation times bound its older keys.
    /// </summary>
    internal TicketKeyRing(IReadOnlyList<TicketKey> keys, TicketKeyRingOptions? options, IReadOnlyList<DateTimeOffset?>? opensUntil)
    {
        ArgumentNullException.ThrowIfNull(keys);
        options ??= new TicketKeyRingOptions();
        if (keys.Count == 0)
            throw new ArgumentException("A ticket key ring needs at least one key.", nameof(keys));
        if (options.RotationInterval is { } interval && interval <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(options), "The rotation interval must be positive.");
        if (options.Retention < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(options), "The retention must not be negative.");
        RejectDuplicateNames(keys);

        time = options.TimeProvider;
        rotationInterval = options.RotationInterval;
        retention = options.Retention;
        entries = keys.Select((key, i) => new Entry(key, i == 0 ? null : opensUntil?[i], new SealHorizon())).ToArray();
        var now = time.GetUtcNow();
        nextRotation = rotationInterval is { } every ? now + every : DateTimeOffset.MaxValue;
        timer = time.CreateTimer(_ => Maintain(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        lock (gate)
            Schedule(now);
    }

    /// <summary>
    /// How often a fresh key takes over; null means never (a key file decides instead). A change counts from now: the
    /// next rotation is one new interval away, so shortening the interval never triggers a burst of rotations.
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
                throw new ArgumentOutOfRangeException(nameof(value), "The rotation interval must be positive.");
            lock (gate)
            {
                ObjectDisposedException.ThrowIf(disposed, this);
                rotationInterval = value;
                var now = time.GetUtcNow();
                nextRotation = value is { } every ? now + every : DateTimeOffset.MaxValue;
                Schedule(now);
            }
        }
    }

    /// <summary>The longest a retired key keeps opening (<see cref="TicketKeyRingOptions.Retention"/>).</summary>
    public TimeSpan Retention => retention;

    /// <summary>The name of the key that seals now; key names are public (every ticket carries one in the clear).</summary>
    public byte[] CurrentKeyName => entries[0].Key.Name.ToArray();

    /// <summary>The names of every key the ring holds, the current one first.</summary>
    public IReadOnlyList<byte[]> KeyNames => entries.Select(entry => entry.Key.Name.ToArray()).ToArray();

    /// <summary>
    /// Seals session state into a ticket that lives <paramref name="lifetime"/> (its ticket_lifetime), under the current
    /// key, rotating first if a rotation is due. Once rotated out, the key keeps opening until its last ticket expires.
    /// </summary>
    public byte[] Seal(ReadOnlySpan<byte> plaintext, TimeSpan lifetime)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(lifetime, TimeSpan.Zero);
        MaintainIfDue();
        while (true)
        {
            var snapshot = entries;
            try
            {
                // Before sealing: a key retired meanwhile still sees this ticket's expiry and keeps opening it.
                snapshot[0].Horizon.Extend(time.GetUtcNow() + lifetime);
                return snapshot[0].Key.Seal(plaintext);
            }
            catch (ObjectDisposedException) when (!ReferenceEquals(snapshot, entries))
            {
                // A reload dropped the key between the read and the seal; the ring has a new current key to use.
            }
            catch (ObjectDisposedException)
            {
                throw new ObjectDisposedException(nameof(TicketKeyRing));
            }
        }
    }

    /// <summary>
    /// The state sealed in <paramref name="ticket"/>, or none when it is too short, names no key held, names a key whose
    /// retention is over, or fails authentication. Never throws: tickets come from the network.
    /// </summary>
    public Option<byte[]> TryOpen(ReadOnlySpan<byte> ticket)
    {
        if (ticket.Length < TicketKey.Overhead)
            return None;
        MaintainIfDue();
        var now = time.GetUtcNow();
        var name = ticket[..TicketKey.NameLength];
        foreach (var entry in entries)
        {
            if (!entry.Key.HasName(name))
                continue;
            // Maintenance may lag the clock by a scheduling hiccup; an expired key must not open even then.
            return entry.OpensUntil is { } until && until <= now ? None : entry.Key.TryOpen(ticket);
        }

        return None;
    }

    /// <summary>Makes a fresh random key current now; the old current key keeps opening while the tickets it sealed live.</summary>
    public void Rotate() => Rotate(TicketKey.Generate());

    /// <summary>
    /// Makes <paramref name="next"/> (now owned by the ring) current; the old current key keeps opening while the tickets
    /// it sealed live, at most for the retention.
    /// </summary>
    public void Rotate(TicketKey next)
    {
        ArgumentNullException.ThrowIfNull(next);
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            var now = time.GetUtcNow();
            RotateLocked(next, now);
            Schedule(now);
        }
    }

    /// <summary>
    /// Adopts a key file's keys (now owned by the ring): the first seals, the others open until a later replacement
    /// drops them, and every key held now that the list does not name is disposed at once — removing a key from the
    /// file revokes it. A key whose name is already held keeps the instance held (names identify keys), so tickets in
    /// flight keep opening across a reload; the duplicate passed in is disposed.
    /// </summary>
    public void Replace(IReadOnlyList<TicketKey> keys) => Replace(keys, opensUntil: null);

    /// <summary>
    /// <see cref="Replace(IReadOnlyList{TicketKey})"/>, each key but the first opening until its entry of
    /// <paramref name="opensUntil"/> (null: until a later replacement drops it).
    /// </summary>
    internal void Replace(IReadOnlyList<TicketKey> keys, IReadOnlyList<DateTimeOffset?>? opensUntil)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.Count == 0)
            throw new ArgumentException("A ticket key ring needs at least one key.", nameof(keys));
        RejectDuplicateNames(keys);
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            var old = entries;
            var kept = new System.Collections.Generic.HashSet<Entry>(ReferenceEqualityComparer.Instance);
            var updated = new Entry[keys.Count];
            for (var i = 0; i < keys.Count; i++)
            {
                var held = old.FirstOrDefault(entry => entry.Key.HasName(keys[i].Name));
                var bound = i == 0 ? null : opensUntil?[i];
                if (held is null)
                {
                    updated[i] = new Entry(keys[i], bound, new SealHorizon());
                }
                else
                {
                    keys[i].Dispose();
                    kept.Add(held);
                    updated[i] = held with { Expires = bound, BoundBySeals = false };
                }
            }

            entries = updated;
            foreach (var entry in old.Where(entry => !kept.Contains(entry)))
                entry.Key.Dispose();
            Schedule(time.GetUtcNow());
        }
    }

    /// <summary>Rotates if due and drops keys whose retention is over; the timer calls it, and so may anyone.</summary>
    public void Maintain()
    {
        lock (gate)
        {
            if (disposed)
                return;
            var now = time.GetUtcNow();
            if (now >= nextRotation)
                RotateLocked(TicketKey.Generate(), now);
            var old = entries;
            var live = old.Where(entry => entry.OpensUntil is not { } until || until > now).ToArray();
            if (live.Length != old.Length)
            {
                entries = live;
                foreach (var entry in old.Except(live))
                    entry.Key.Dispose();
            }

            Schedule(now);
        }
    }

    /// <summary>Disposes every key, wiping the key material held by AES-GCM.</summary>
    public void Dispose()
    {
        lock (gate)
        {
            if (disposed)
                return;
            disposed = true;
            timer.Dispose();
            foreach (var entry in entries)
                entry.Key.Dispose();
        }
    }

    private void MaintainIfDue()
    {
        if (time.GetUtcNow().UtcTicks >= Interlocked.Read(ref nextDueTicks))
            Maintain();
    }

    private void RotateLocked(TicketKey next, DateTimeOffset now)
    {
        if (entries.Any(entry => entry.Key.HasName(next.Name)))
            throw new ArgumentException("The ring already holds a key with this name.", nameof(next));
        var retired = entries[0] with { Expires = now + retention, BoundBySeals = true };
        var fresh = new Entry(next, null, new SealHorizon());
        if (retired.OpensUntil is { } until && until <= now)
        {
            // It sealed nothing that is still alive (or nothing at all): there is nothing left for it to open.
            entries = [fresh, .. entries[1..]];
            retired.Key.Dispose();
        }
        else
        {
            entries = [fresh, retired, .. entries[1..]];
        }
        // Counted from now, not from the missed instant: after a long sleep one rotation is enough.
        if (rotationInterval is { } every)
            nextRotation = now + every;
    }

    // Arms the timer for the next rotation or expiry, whichever comes first.
    private void Schedule(DateTimeOffset now)
    {
        var due = nextRotation;
        foreach (var entry in entries)
        {
            if (entry.OpensUntil is { } until && until < due)
                due = until;
        }

        Interlocked.Exchange(ref nextDueTicks, due.UtcTicks);
        var wait = due == DateTimeOffset.MaxValue ? Timeout.InfiniteTimeSpan : Clamp(due - now);
        timer.Change(wait, Timeout.InfiniteTimeSpan);
    }

    // Timers accept at most about 49 days; waking early is harmless because maintenance re-arms the timer.
    private static TimeSpan Clamp(TimeSpan wait) =>
        wait < TimeSpan.Zero ? TimeSpan.Zero : wait > TimeSpan.FromDays(30) ? TimeSpan.FromDays(30) : wait;

    private static void RejectDuplicateNames(IReadOnlyList<TicketKey> keys)
    {
        for (var i = 0; i < keys.Count; i++)
        {
            for (var j = 0; j < i; j++)
            {
                if (CryptographicOperations.FixedTimeEquals(keys[i].Name, keys[j].Name))
                    throw new ArgumentException("Two ticket keys share a name; names must identify keys.", nameof(keys));
            }
        }
    }
}
