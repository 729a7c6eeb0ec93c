using System.Globalization;

namespace Tickets.Cli;

/// <summary>
/// The `serve` flags about how tickets are protected and spent (keys, rotation, single use, stateful mode), parsed apart from the others so that
/// <see cref="ArgumentParser"/> only needs a hook per flag kind. Values are checked here; bad ones are usage errors.
/// </summary>
internal static class TicketFlags
{
    /// <summary>Flags that take no value.</summary>
    public static bool IsSwitch(string flag) => flag is "--single-use-tickets" or "--no-ticket" or "--resume-any-server-name";

    public static bool TakesValue(string flag) => flag is
        "--ticket-keys" or "--session-cache-size" or "--session-cache-bytes" or "--max-ticket-request" or "--ticket-key-rotation"
        or "--redis" or "--fleet-kek-file" or "--fleet-poll" or "--redis-timeout" or "--redis-password-file" or "--redis-user";

    public static ServeOptions ApplySwitch(ServeOptions options, string flag) => flag switch
    {
        "--single-use-tickets" => options with { SingleUseTickets = true },
        "--no-ticket" => options with { StatefulTickets = true },
        "--resume-any-server-name" => options with { ResumeAnyServerName = true },
        _ => throw new ArgumentException($"not a ticket switch: {flag}", nameof(flag)),
    };

    public static (ServeOptions Options, string? Problem) Apply(ServeOptions options, string flag, string value)
    {
        switch (flag)
        {
            case "--ticket-keys":
                return value.Length > 0 ? (options with { TicketKeysPath = value }, null) : (options, "--ticket-keys needs a file name");
            case "--session-cache-size":
                // At least one entry: a cache that holds nothing would make every stateful ticket useless.
                return Whole(value) is { } size and > 0
                    ? (options with { SessionCacheSize = (int)size }, null)
                    : (options, $"--session-cache-size needs a number of sessions from 1 to {int.MaxValue}, not '{value}'");
            case "--session-cache-bytes":
                // Room for one session with a large client certificate at least; a smaller cache would keep nothing.
                return long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var bytes) && bytes >= MinSessionCacheBytes
                    ? (options with { SessionCacheBytes = bytes }, null)
                    : (options, $"--session-cache-bytes needs a number of bytes of at least {MinSessionCacheBytes}, not '{value}'");
            case "--max-ticket-request":
                return Whole(value) is { } max and >= 0
                    ? (options with { MaxTicketRequest = (int)max }, null)
                    : (options, $"--max-ticket-request needs a number of tickets from 0 to {int.MaxValue}, not '{value}'");
            case "--ticket-key-rotation":
                return Whole(value) is { } seconds and >= 0 and <= uint.MaxValue
                    ? (options with { TicketKeyRotationSeconds = (uint)seconds }, null)
                    : (options, $"--ticket-key-rotation needs a number of seconds from 0 to {uint.MaxValue}, not '{value}'");
            case "--redis":
                try
                {
                    Tickets.Redis.FleetOptions.ParseEndpoint(value);
                    return (options with { RedisEndpoint = value }, null);
                }
                catch (ArgumentException)
                {
                    return (options, $"--redis needs HOST:PORT with a port from 1 to 65535, not '{value}'");
                }

            case "--fleet-poll":
                return Whole(value) is { } poll and > 0 and <= 86400
                    ? (options with { FleetPollSeconds = (int)poll }, null)
                    : (options, $"--fleet-poll needs a number of seconds from 1 to 86400, not '{value}'");
            case "--redis-timeout":
                return Whole(value) is { } milliseconds and > 0 and <= 60000
                    ? (options with { RedisTimeoutMilliseconds = (int)milliseconds }, null)
                    : (options, $"--redis-timeout needs a number of milliseconds from 1 to 60000, not '{value}'");
            case "--fleet-kek-file":
                return value.Length > 0 ? (options with { FleetKekPath = value }, null) : (options, "--fleet-kek-file needs a file name");
            // A file, never the password itself: arguments are visible to every user in ps and /proc.
            case "--redis-password-file":
                return value.Length > 0 ? (options with { RedisPasswordPath = value }, null) : (options, "--redis-password-file needs a file name");
            case "--redis-user":
                return value.Length > 0 ? (options with { RedisUser = value }, null) : (options, "--redis-user needs a user name");
            default:
                return (options, $"unknown option '{flag}'");
        }
    }

    /// <summary>The smallest --session-cache-bytes: 64 KiB.</summary>
    private const long MinSessionCacheBytes = 64 * 1024;

    /// <summary>Combinations that make no sense, found once all flags are read; null when all is well.</summary>
    public static string? Validate(ServeOptions options) => options switch
    {
        { TicketKeysPath: not null, TicketKeyRotationSeconds: not null } =>
            "--ticket-key-rotation cannot be combined with --ticket-keys: the key file decides which key seals",
        { TicketKeysPath: not null, RedisEndpoint: not null } =>
            "--ticket-keys cannot be combined with --redis: the fleet keeps its ticket keys in redis",
        { FleetKekPath: not null, RedisEndpoint: null } =>
            "--fleet-kek-file only makes sense with --redis",
        { RedisTimeoutMilliseconds: not null, RedisEndpoint: null } =>
            "--redis-timeout only makes sense with --redis",
        { FleetPollSeconds: not null, RedisEndpoint: null } =>
            "--fleet-poll only makes sense with --redis",
        { RedisPasswordPath: not null, RedisEndpoint: null } =>
            "--redis-password-file only makes sense with --redis",
        { RedisUser: not null, RedisEndpoint: null } =>
            "--redis-user only makes sense with --redis",
        _ => null,
    };

    // Whole numbers only, in the int range for sizes; "-1" parses so that the message can say what is wrong with it.
    private static long? Whole(string value) =>
        long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) && number <= int.MaxValue
            ? number
            : null;
}
