using System.Globalization;
using Tickets.Shell;
using Tickets.Shell.Fleet;
using Tickets.Shell.TicketStore;

namespace Tickets.Cli;

/// <summary>
/// Joins the fleet named by --redis (issue 9): loads the KEK, connects, and adopts the fleet's key ring. Redis being
/// away at start is not an error (the server starts, logs the outage and keeps trying); a missing or bad KEK is.
/// </summary>
internal static class FleetSettings
{
    /// <summary>False, after telling why on <paramref name="errors"/>, when the fleet cannot be joined.</summary>
    public static async Task<bool> ApplyAsync(ServeOptions options, TicketServerContext context, ServeLog log, TextWriter errors)
    {
        if (options.RedisEndpoint is not { } endpoint)
        {
            return true;
        }

        FleetKek kek;
        try
        {
            if (options.FleetKekPath is { } path)
            {
                kek = FleetKek.LoadFile(path);
            }
            else if (FleetKek.FromEnvironment().Case is FleetKek fromEnvironment)
            {
                kek = fromEnvironment;
            }
            else
            {
                errors.WriteLine($"tickets: --redis needs the fleet's key-encryption key: --fleet-kek-file FILE or ${FleetKek.EnvironmentVariable}");
                return false;
            }
        }
        catch (FleetKekException error)
        {
            errors.WriteLine($"tickets: {error.Message}");
            return false;
        }

        // The same flag as for the own keys: how often this member rotates the fleet's ring; 0 only follows others.
        var rotation = options.TicketKeyRotationSeconds switch
        {
            null => TicketKeyRingOptions.DefaultRotationInterval,
            0 => (TimeSpan?)null,
            var seconds => TimeSpan.FromSeconds(seconds.Value),
        };
        var fleet = new FleetOptions { Endpoint = endpoint, Kek = kek, RotationInterval = rotation };
        if (options.FleetPollSeconds is { } poll)
        {
            fleet = fleet with { PollInterval = TimeSpan.FromSeconds(poll) };
        }

        await context.UseRedisFleetAsync(fleet, log.Status);
        return true;
    }

    /// <summary>e.g. "fleet on redis 127.0.0.1:6379 (reachable), ticket keys generation 3 (2 keys), rotating every 43200 s".</summary>
    public static string? Describe(ServeOptions options, TicketServerContext context)
    {
        if (context.Fleet is not { } fleet)
        {
            return null;
        }

        var rotation = options.TicketKeyRotationSeconds is 0
            ? "following the fleet's rotation"
            : string.Create(CultureInfo.InvariantCulture, $"rotating every {(options.TicketKeyRotationSeconds ?? TicketKeyRingOptions.DefaultRotationInterval.TotalSeconds):0} s");
        return string.Create(CultureInfo.InvariantCulture,
            $"fleet on redis {fleet.Connection.Endpoint} ({(fleet.Connection.Available ? "reachable" : "unreachable")}), ticket keys generation {fleet.Keys.Generation} ({context.TicketKeyNames.Count} keys), {rotation}");
    }
}
