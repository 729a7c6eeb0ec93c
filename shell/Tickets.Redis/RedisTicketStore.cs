using Tickets.Core.Model;
using Tickets.TicketStore;

namespace Tickets.Redis;

/// <summary>
/// The ticket store of a fleet of servers sharing one Redis: stateless tickets are sealed with the fleet's key ring,
/// which one member at a time rotates for all; stateful sessions are kept in Redis, so any member resumes them; and a
/// single-use ticket resumes once across the whole fleet. Everything secret it puts in Redis is sealed under the
/// fleet's key-encryption key (<see cref="FleetOptions.Kek"/>). Join with
/// <see cref="RedisFleetExtensions.UseRedisFleetAsync"/>.
/// </summary>
/// <remarks>
/// <para>It is a <see cref="LocalTicketStore"/> with Redis behind it: the local store seals and opens with the keys the
/// fleet feeds into its ring, keeps the stateful sessions Redis could not take (they then resume on this member only),
/// and remembers the tickets this member spent. Redis being unreachable, slow or refusing the login never fails a
/// handshake: every Redis operation is bounded by <see cref="FleetOptions.OperationTimeout"/>, a session Redis cannot
/// give is a full handshake, a ticket Redis cannot vouch for is refused, and tickets keep being sealed with the last
/// known keys. The log says so once per outage.</para>
/// <para>Redis decides single use, but it is not trusted to remember: a member refuses the tickets it spent itself even
/// when Redis has forgotten them (restarted without persistence, failed over, or hostile: deleting a used mark or
/// putting back a taken session). A replay on another member still needs Redis to remember; see docs/security.md.</para>
/// </remarks>
public sealed class RedisTicketStore : ITicketStore, INamedTicketKeys, IAsyncDisposable
{
    private readonly FleetKek kek;
    private int disposed;

    private RedisTicketStore(FleetConnection connection, LocalTicketStore local, RedisTicketKeys keys, FleetKek kek, TimeProvider time, EntropySource entropy)
    {
        this.kek = kek;
        Connection = connection;
        Local = local;
        Keys = keys;
        Sessions = new RedisSessionStore(connection, kek, entropy);
        UsedTickets = new RedisUsedTickets(connection, time);
    }

    /// <summary>HOST:PORT of the fleet's Redis, as configured.</summary>
    public string Endpoint => Connection.Endpoint;

    /// <summary>False from the first failure of a Redis outage until Redis answers again.</summary>
    public bool IsAvailable => Connection.Available;

    /// <summary>The generation of the fleet's key ring this member follows; 0 before it ever read or wrote one.</summary>
    public ulong KeyGeneration => Keys.Generation;

    /// <summary>The most stateful sessions this member keeps itself while Redis cannot take them.</summary>
    public int SessionCacheSize => Local.SessionCacheSize;

    /// <summary>The names of the ticket keys held now, the sealing one first (names are public: every ticket carries one).</summary>
    public IReadOnlyList<byte[]> KeyNames => Local.KeyNames;

    /// <inheritdoc />
    byte[] INamedTicketKeys.CurrentKeyName => ((INamedTicketKeys)Local).CurrentKeyName;

    /// <summary>The connection every fleet component shares.</summary>
    internal FleetConnection Connection { get; }

    /// <summary>This member's own layer: the ring the fleet feeds, the fallback session cache, the spent tickets.</summary>
    internal LocalTicketStore Local { get; }

    /// <summary>Keeps the ring in step with the fleet's and rotates the fleet's when due.</summary>
    internal RedisTicketKeys Keys { get; }

    /// <summary>Stateful sessions in Redis.</summary>
    internal RedisSessionStore Sessions { get; }

    /// <summary>Fleet-wide marks of spent stateless tickets.</summary>
    internal RedisUsedTickets UsedTickets { get; }

    /// <summary>
    /// Connects and reads (or creates) the fleet's key ring. Never fails because Redis is away: the ring then starts with
    /// one random key of its own, and the connection and the key sync keep trying in the background.
    /// </summary>
    internal static async Task<RedisTicketStore> JoinAsync(FleetOptions options, Action<string> log, TimeProvider time, EntropySource entropy)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        var connection = await FleetConnection.ConnectAsync(
            new FleetRedisOptions
            {
                Endpoint = options.Endpoint,
                OperationTimeout = options.OperationTimeout,
                KeyPrefix = options.KeyPrefix,
                Password = options.RedisPassword,
                User = options.RedisUser,
            },
            log).ConfigureAwait(false);
        // The fleet decides when keys rotate: a ring rotating on its own would seal with keys nobody else knows.
        var ring = new TicketKeyRing(TicketKeyRingOptions.ForKeyFile(time));
        var local = new LocalTicketStore(time, entropy, ring, options.SessionCacheSize, options.SessionCacheBytes);
        var keys = new RedisTicketKeys(
            connection,
            options.Kek,
            ring,
            new RedisTicketKeysOptions
            {
                RotationInterval = options.RotationInterval,
                Retention = options.Retention,
                PollInterval = options.PollInterval,
                TimeProvider = time,
            },
            log);
        await keys.StartAsync().ConfigureAwait(false);
        return new RedisTicketStore(connection, local, keys, options.Kek, time, entropy);
    }

    /// <summary>
    /// Rotates the fleet's key ring now, if no other member holds the rotation lease: the new key opens at once on every
    /// member and seals after the activation delay (two poll intervals).
    /// </summary>
    public Task<RotationOutcome> RotateNowAsync() => Keys.RotateNowAsync();

    /// <summary>
    /// Stateless: sealed with the fleet's current key. Stateful: the session goes to Redis so any member resumes it; when
    /// Redis cannot take it, it stays in this member's cache instead (the ticket then resumes here only, but the client
    /// still gets one).
    /// </summary>
    public async ValueTask<byte[]> IssueAsync(TicketMode mode, ReadOnlyMemory<byte> sessionState, TimeSpan lifetime, CancellationToken cancellationToken = default)
    {
        if (mode == TicketMode.Stateless || lifetime == TimeSpan.Zero)
            return Local.Issue(mode, sessionState.Span, lifetime);
        var id = await Sessions.AddAsync(sessionState, lifetime).ConfigureAwait(false);
        return id.Case is byte[] stored ? stored : Local.Issue(mode, sessionState.Span, lifetime);
    }

    /// <summary>
    /// Stateless: opened with the keys held (no Redis call). Stateful: looked up in this member's cache (sessions kept
    /// here while Redis was away), then in Redis; Redis being unavailable reads as "not found", a full handshake.
    /// </summary>
    public async ValueTask<byte[]?> OpenAsync(TicketMode mode, ReadOnlyMemory<byte> ticket, CancellationToken cancellationToken = default)
    {
        if (Local.Open(mode, ticket.Span) is { } here)
            return here;
        if (mode == TicketMode.Stateless)
            return null;
        var lookup = await Sessions.TryGetAsync(ticket).ConfigureAwait(false);
        return lookup.Status == FleetStatus.Found ? lookup.Value : null;
    }

    /// <summary>
    /// Single use across every member: a stateful ticket is spent by deleting its session (only one DEL in the fleet finds
    /// it), a stateless one by marking it used in Redis (only one SET NX succeeds). When Redis cannot say, the ticket is
    /// refused. A ticket this member spent before is refused without asking Redis.
    /// </summary>
    public async ValueTask<bool> ConsumeAsync(TicketMode mode, ReadOnlyMemory<byte> ticket, DateTimeOffset expires, CancellationToken cancellationToken = default)
    {
        if (Local.UsedTickets.WasConsumed(ticket.Span))
            return false;
        var consumed = mode == TicketMode.Stateful
            ? Local.Consume(mode, ticket.Span, expires) || await Sessions.RemoveAsync(ticket).ConfigureAwait(false)
            : await UsedTickets.TryConsumeAsync(ticket, expires).ConfigureAwait(false) == ConsumeOutcome.Consumed;
        if (consumed)
        {
            // Only after Redis agreed: a ticket Redis could not vouch for was refused, not spent. When the memory is full
            // of live tickets it keeps no more, and Redis alone decides for the rest.
            Local.UsedTickets.TryConsume(ticket.Span, expires);
        }

        return consumed;
    }

    /// <summary>Stops following the fleet and closes the Redis connection at once; wipes the keys and sessions held here.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
            return;
        Keys.Dispose();
        Local.Dispose();
        Connection.Dispose();
        kek.Dispose();
    }

    /// <summary><see cref="Dispose"/>, closing the Redis connection asynchronously.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
            return;
        Keys.Dispose();
        Local.Dispose();
        await Connection.DisposeAsync().ConfigureAwait(false);
        kek.Dispose();
    }
}
