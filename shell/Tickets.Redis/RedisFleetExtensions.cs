namespace Tickets.Redis;

/// <summary>Joining a fleet on Redis from a <see cref="TicketServerContext"/>.</summary>
public static class RedisFleetExtensions
{
    /// <summary>
    /// Joins the fleet of servers sharing one Redis and makes its <see cref="RedisTicketStore"/> the context's ticket
    /// store (<see cref="TicketServerContext.UseTicketStore"/>; the context owns it from then on, and the store it replaces
    /// is disposed, so tickets made by it no longer resume). The store runs on the context's clock. Redis being
    /// unreachable does not fail this: the server starts with a random key of its own, full handshakes only where Redis
    /// is needed, and keeps trying; the log says so once per outage.
    /// </summary>
    /// <param name="context">The server's context; join before accepting connections.</param>
    /// <param name="options">Redis endpoint and login, the fleet's KEK (owned by the store from now on), rotation settings.</param>
    /// <param name="log">Receives outage, recovery and rotation lines; never key material or the password.</param>
    /// <returns>The store, for its state (<see cref="RedisTicketStore.IsAvailable"/>, key generation) and manual rotation.</returns>
    public static async Task<RedisTicketStore> UseRedisFleetAsync(this TicketServerContext context, FleetOptions options, Action<string> log)
    {
        ArgumentNullException.ThrowIfNull(context);
        var store = await RedisTicketStore.JoinAsync(options, log, context.TimeProvider, context.Entropy).ConfigureAwait(false);
        context.UseTicketStore(store);
        return store;
    }
}
