using System.Security.Cryptography;
using StackExchange.Redis;

namespace Tickets.Redis;

/// <summary>What an attempt to take a lease found.</summary>
internal enum LeaseOutcome
{
    Acquired,
    HeldElsewhere,
    Unavailable,
}

/// <summary>
/// A lease in Redis that at most one holder has at a time: <c>SET key token NX PX ttl</c> takes it, and a compare-and-delete
/// script gives it back only if the token is still ours. The expiry frees the lease if its holder dies, so it must
/// exceed how long the holder's work can take (every Redis call is bounded by the operation timeout).
/// </summary>
internal sealed class RedisLease(FleetConnection redis, string key)
{
    // Deleting only our own token: after an expiry another holder may have taken the lease, and must keep it.
    private const string ReleaseScript =
        "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end";

    /// <summary>The Redis key of the lease.</summary>
    public string Key { get; } = key;

    /// <summary>Tries to take the lease for <paramref name="ttl"/>; on success, the token that releases it.</summary>
    public async Task<(LeaseOutcome Outcome, string Token)> TryAcquireAsync(TimeSpan ttl)
    {
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var (ok, set) = await redis.RunAsync(db => db.StringSetAsync(Key, token, ttl, When.NotExists)).ConfigureAwait(false);
        return (!ok ? LeaseOutcome.Unavailable : set ? LeaseOutcome.Acquired : LeaseOutcome.HeldElsewhere, token);
    }

    /// <summary>Releases the lease if <paramref name="token"/> still holds it; true when it did.</summary>
    public async Task<bool> ReleaseAsync(string token)
    {
        var (ok, result) = await redis.RunAsync(db => db.ScriptEvaluateAsync(ReleaseScript, [Key], [token])).ConfigureAwait(false);
        return ok && (long)result == 1;
    }
}
