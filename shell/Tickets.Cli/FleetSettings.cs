using System.Globalization;
using Tickets;
using Tickets.Core.Model;
using Tickets.Redis;
using Tickets.TicketStore;

namespace Tickets.Cli;

/// <summary>
/// Joins the fleet named by --redis: loads the KEK, connects, and makes the fleet's store the context's. Redis being
/// away at start is not an error (the server starts, logs the outage and keeps trying); a missing or bad KEK is.
/// </summary>
internal static class FleetSettings
{
    /// <summary>The environment variable that may hold the Redis password instead of --redis-password-file.</summary>
    public const string RedisPasswordVariable = "TICKETS_REDIS_PASSWORD";

    /// <summary>The fleet's store, now the context's; null, after telling why on <paramref name="errors"/>, when the fleet cannot be joined.</summary>
    public static async Task<ServeTicketStore?> JoinAsync(
        string endpoint, ServeOptions options, TicketServerContext context, ServeLog log, TextWriter errors)
    {
        // Before the KEK: a KEK loaded and then abandoned over a bad password file would have to be disposed here.
        var (password, passwordProblem) = LoadRedisPassword(options);
        if (passwordProblem is not null)
        {
            errors.WriteLine($"tickets: {passwordProblem}");
            return null;
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
                return null;
            }
        }
        catch (FleetKekException error)
        {
            errors.WriteLine($"tickets: {error.Message}");
            return null;
        }

        // The same flag as for the own keys: how often this member rotates the fleet's ring; 0 only follows others.
        var rotation = options.TicketKeyRotationSeconds switch
        {
            null => LocalTicketStore.DefaultRotationInterval,
            0 => (TimeSpan?)null,
            var seconds => TimeSpan.FromSeconds(seconds.Value),
        };
        var fleet = new FleetOptions
        {
            Endpoint = endpoint,
            Kek = kek,
            RotationInterval = rotation,
            Retention = KeyRetention(context),
            RedisPassword = password,
            RedisUser = options.RedisUser,
            SessionCacheSize = options.SessionCacheSize ?? LocalTicketStore.DefaultSessionCacheSize,
            SessionCacheBytes = options.SessionCacheBytes ?? LocalTicketStore.DefaultSessionCacheBytes,
        };
        if (options.FleetPollSeconds is { } poll)
        {
            fleet = fleet with { PollInterval = TimeSpan.FromSeconds(poll) };
        }

        if (options.RedisTimeoutMilliseconds is { } timeout)
        {
            fleet = fleet with { OperationTimeout = TimeSpan.FromMilliseconds(timeout) };
        }

        return new FleetTicketStore(await context.UseRedisFleetAsync(fleet, log.Status));
    }

    /// <summary>
    /// How long the fleet keeps a retired key opening: as long as this member's tickets live (--session-timeout, at most
    /// seven days), not the seven days any ticket could live. Members of one fleet should share --session-timeout: a
    /// member issuing longer-lived tickets than the one that rotates sees them fall back to full handshakes early.
    /// </summary>
    internal static TimeSpan KeyRetention(TicketServerContext context) => TimeSpan.FromSeconds(context.Settings.TicketLifetimeSeconds);

    /// <summary>
    /// The Redis password: the first line of --redis-password-file (the file wins), else $TICKETS_REDIS_PASSWORD, else
    /// none. A file that gives no password is a problem, not "no password": the operator meant to give one. Messages
    /// name the file, never what is in it.
    /// </summary>
    internal static (string? Password, string? Problem) LoadRedisPassword(ServeOptions options)
    {
        if (options.RedisPasswordPath is not { } path)
        {
            return (Environment.GetEnvironmentVariable(RedisPasswordVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment : null, null);
        }

        string text;
        try
        {
            // Like the fleet's KEK file: a password others can read is no longer a secret, so refuse rather than use it.
            if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & PrivateFiles.SharedBits) != 0)
            {
                return (null, $"redis password file '{path}' is accessible to other users; chmod 600 '{path}'");
            }

            text = File.ReadAllText(path);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return (null, $"redis password file '{path}' cannot be read: {error.Message}");
        }

        // One line, as `echo secret > file` writes it; anything after the first line break is not part of the password.
        var end = text.IndexOf('\n', StringComparison.Ordinal);
        var line = (end < 0 ? text : text[..end]).TrimEnd('\r');
        return line.Length > 0
            ? (line, null)
            : (null, $"redis password file '{path}' is empty: its first line must be the password");
    }

    /// <summary>The fleet's store as `serve` describes it.</summary>
    private sealed class FleetTicketStore(RedisTicketStore fleet) : ServeTicketStore
    {
        /// <inheritdoc />
        public override string Describe(TicketMode mode) =>
            mode == TicketMode.Stateful
                ? string.Create(CultureInfo.InvariantCulture, $"tickets stateful, sessions in redis (session cache {fleet.SessionCacheSize} sessions while redis is away)")
                : "tickets stateless, keys from the fleet's ring in redis";

        /// <summary>e.g. "fleet on redis 127.0.0.1:6379 (reachable), no password, ticket keys generation 3 (2 keys), rotating every 43200 s".</summary>
        public override string Status(ServeOptions options)
        {
            var rotation = options.TicketKeyRotationSeconds is 0
                ? "following the fleet's rotation"
                : string.Create(CultureInfo.InvariantCulture, $"rotating every {(options.TicketKeyRotationSeconds ?? LocalTicketStore.DefaultRotationInterval.TotalSeconds):0} s");
            return string.Create(CultureInfo.InvariantCulture,
                $"fleet on redis {fleet.Endpoint} ({(fleet.IsAvailable ? "reachable" : "unreachable")}), {Login(options)}, ticket keys generation {fleet.KeyGeneration} ({fleet.KeyNames.Count} keys), {rotation}");
        }
    }

    // Where the password came from (which of file and variable won), never the password.
    private static string Login(ServeOptions options)
    {
        var password = options.RedisPasswordPath is { } path
            ? $"password from '{path}'"
            : Environment.GetEnvironmentVariable(RedisPasswordVariable) is { Length: > 0 }
                ? $"password from ${RedisPasswordVariable}"
                : "no password";
        return options.RedisUser is { } user ? $"user {user}, {password}" : password;
    }
}
