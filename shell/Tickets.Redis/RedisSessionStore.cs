using LanguageExt;
using StackExchange.Redis;
using static LanguageExt.Prelude;

namespace Tickets.Redis;

/// <summary>
/// The fleet's store for stateful tickets: the client's ticket is a random 16-byte id, and the session state lives in
/// Redis under <c>{prefix}session:{hex id}</c>, sealed under the KEK with that key name bound in, expiring with the
/// ticket. Any process of the fleet can then resume the session.
/// </summary>
/// <remarks>
/// Redis' own expiry bounds the store, so, unlike the in-process cache, no capacity or eviction is needed here; Redis'
/// maxmemory policy is the operator's bound. Every operation answers "unavailable" instead of throwing or waiting past
/// the operation timeout.
/// </remarks>
internal sealed class RedisSessionStore(FleetConnection redis, FleetKek kek, EntropySource? entropy = null)
{
    /// <summary>Bytes in a session id, the same as the in-process cache's so tickets look alike either way.</summary>
    public const int IdLength = 16;

    /// <summary>
    /// Stores <paramref name="state"/> for <paramref name="lifetime"/> and returns the fresh id to send as the ticket;
    /// none when Redis is unavailable (the caller then keeps the session elsewhere or sends no stateful ticket).
    /// </summary>
    public async Task<Option<byte[]>> AddAsync(ReadOnlyMemory<byte> state, TimeSpan lifetime)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lifetime, TimeSpan.Zero);
        var id = (entropy ?? EntropySource.System).GetBytes(IdLength, EntropyUse.SessionId);
        var key = KeyOf(id);
        var sealedState = kek.Seal(key, state.Span);
        // NX: 128 random bits never collide in practice, and if they did an existing session must not be overwritten.
        var (ok, stored) = await redis.RunAsync(db => db.StringSetAsync(key, sealedState, lifetime, When.NotExists)).ConfigureAwait(false);
        return ok && stored ? Some(id) : None;
    }

    /// <summary>The session stored under <paramref name="id"/>, left in place for further resumptions.</summary>
    public async Task<FleetLookup> TryGetAsync(ReadOnlyMemory<byte> id)
    {
        // Ids come from the network: a wrong length cannot be ours, so Redis is not even asked.
        if (id.Length != IdLength)
            return FleetLookup.Missing;
        var key = KeyOf(id.Span);
        var (ok, value) = await redis.RunAsync(db => db.StringGetAsync(key)).ConfigureAwait(false);
        if (!ok)
            return FleetLookup.Unavailable;
        if (value.IsNull)
            return FleetLookup.Missing;
        return kek.TryOpen(key, (byte[])value!).Match(FleetLookup.Found, () => FleetLookup.Missing);
    }

    /// <summary>
    /// Forgets a session: true for exactly one caller across the whole fleet (only one DEL finds the key), which is how a
    /// single-use stateful ticket is spent; false when it was not there or Redis is unavailable.
    /// </summary>
    public async Task<bool> RemoveAsync(ReadOnlyMemory<byte> id)
    {
        if (id.Length != IdLength)
            return false;
        var key = KeyOf(id.Span);
        var (ok, removed) = await redis.RunAsync(db => db.KeyDeleteAsync(key)).ConfigureAwait(false);
        return ok && removed;
    }

    /// <summary>The Redis key a session id is stored under.</summary>
    public string KeyOf(ReadOnlySpan<byte> id) => redis.Key("session:" + Convert.ToHexStringLower(id));
}
