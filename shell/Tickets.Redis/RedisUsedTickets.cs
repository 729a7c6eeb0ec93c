using System.Security.Cryptography;
using StackExchange.Redis;

namespace Tickets.Redis;

/// <summary>What an attempt to consume a single-use ticket found.</summary>
internal enum ConsumeOutcome
{
    /// <summary>First use anywhere in the fleet: the resumption may go ahead.</summary>
    Consumed,

    /// <summary>Some process of the fleet consumed it before.</summary>
    AlreadyUsed,

    /// <summary>The ticket's lifetime is over; it is refused on age anyway.</summary>
    Expired,

    /// <summary>Redis did not answer: nobody can tell whether it was used, so the caller refuses it (full handshake).</summary>
    Unavailable,
}

/// <summary>
/// Fleet-wide single use (RFC 8446 §8, Appendix C.4): a ticket resumes at most once across every process sharing the
/// Redis. Consuming is one atomic <c>SET {prefix}used:{digest} 1 NX PX remaining-life</c>: whichever process sets the key
/// first wins, every later attempt anywhere finds it, and Redis forgets it when the ticket could no longer be used.
/// </summary>
/// <remarks>
/// The key holds 128 bits of SHA-256 of the ticket, never the ticket: knowing the used set must not help anyone present
/// a ticket. The stored value is a bare marker, nothing secret, so it needs no sealing. When Redis is unavailable the
/// answer is <see cref="ConsumeOutcome.Unavailable"/>, which callers treat as "refuse": a missed resumption costs a full
/// handshake, a replay could cost far more.
/// </remarks>
internal sealed class RedisUsedTickets(FleetConnection redis, TimeProvider? timeProvider = null)
{
    private readonly TimeProvider time = timeProvider ?? TimeProvider.System;

    /// <summary>
    /// Consumes <paramref name="ticket"/> (exactly the bytes the client presented), valid until <paramref name="expires"/>.
    /// Call it after the binder verified, so a forged ClientHello cannot burn someone else's ticket.
    /// </summary>
    public async Task<ConsumeOutcome> TryConsumeAsync(ReadOnlyMemory<byte> ticket, DateTimeOffset expires)
    {
        var remaining = expires - time.GetUtcNow();
        // PX takes whole milliseconds; below one the ticket is as good as expired.
        if (remaining < TimeSpan.FromMilliseconds(1))
            return ConsumeOutcome.Expired;
        var key = KeyOf(ticket.Span);
        var (ok, set) = await redis.RunAsync(db => db.StringSetAsync(key, "1", remaining, When.NotExists)).ConfigureAwait(false);
        return !ok ? ConsumeOutcome.Unavailable : set ? ConsumeOutcome.Consumed : ConsumeOutcome.AlreadyUsed;
    }

    /// <summary>The Redis key that marks a ticket used.</summary>
    public string KeyOf(ReadOnlySpan<byte> ticket)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(ticket, digest);
        return redis.Key("used:" + Convert.ToHexStringLower(digest[..16]));
    }
}
