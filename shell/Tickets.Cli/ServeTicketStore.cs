using System.Globalization;
using Tickets.Core.Model;
using Tickets.TicketStore;

namespace Tickets.Cli;

/// <summary>
/// The ticket store `serve` runs with, picked once from the flags: a fleet's on Redis with --redis
/// (<see cref="FleetSettings"/>), otherwise the process's own (<see cref="OwnTicketStore"/>). Each kind describes
/// itself in the start lines, so nothing after the choice asks which one it is.
/// </summary>
internal abstract class ServeTicketStore
{
    /// <summary>Makes the store the flags ask for the context's; null, after telling why on <paramref name="errors"/>, when it cannot be used.</summary>
    public static async Task<ServeTicketStore?> UseAsync(ServeOptions options, TicketServerContext context, ServeLog log, TextWriter errors) =>
        options.RedisEndpoint is { } endpoint
            ? await FleetSettings.JoinAsync(endpoint, options, context, log, errors)
            : OwnTicketStore.Use(options, context, log, errors);

    /// <summary>Where tickets come from, for the start line: e.g. "tickets stateless, keys from /etc/tickets.keys (2 keys)".</summary>
    public abstract string Describe(TicketMode mode);

    /// <summary>A start line of the store's own (the fleet's state), or null.</summary>
    public virtual string? Status(ServeOptions options) => null;
}

/// <summary>
/// The process's own tickets: its own random keys rotating every --ticket-key-rotation seconds, or the keys of
/// --ticket-keys followed while the file changes; stateful sessions in a cache of --session-cache-size sessions.
/// Nothing it logs contains key material: key file messages name the file and the fault only.
/// </summary>
internal sealed class OwnTicketStore(LocalTicketStore store) : ServeTicketStore
{
    /// <summary>A store configured from the flags, now the context's; null when the key file cannot be used.</summary>
    public static ServeTicketStore? Use(ServeOptions options, TicketServerContext context, ServeLog log, TextWriter errors)
    {
        var store = new LocalTicketStore(context.TimeProvider);
        if (options.TicketKeyRotationSeconds is { } seconds)
        {
            store.RotationInterval = seconds == 0 ? null : TimeSpan.FromSeconds(seconds);
        }

        if (options.SessionCacheSize is { } size)
        {
            store.SessionCacheSize = size;
        }

        if (options.SessionCacheBytes is { } bytes)
        {
            store.SessionCacheBytes = bytes;
        }

        if (options.TicketKeysPath is { } path)
        {
            try
            {
                store.UseKeyFile(path);
            }
            catch (TicketKeyFileException error)
            {
                store.Dispose();
                errors.WriteLine($"tickets: {error.Message}");
                return null;
            }

            // A fleet rotates by rewriting the file; the log shows each server taking the change (or refusing it).
            store.KeyFileReloaded += (_, _) => log.Status($"ticket keys reloaded from {store.KeyFilePath}");
            store.KeyFileReloadFailed += (_, error) => log.Status($"ticket key file not used, keeping the keys in use: {error.Message}");
        }

        context.UseTicketStore(store);
        return new OwnTicketStore(store);
    }

    /// <inheritdoc />
    public override string Describe(TicketMode mode)
    {
        if (mode == TicketMode.Stateful)
        {
            return string.Create(CultureInfo.InvariantCulture, $"tickets stateful, session cache {store.SessionCacheSize} sessions, at most {store.SessionCacheBytes} bytes");
        }

        if (store.KeyFilePath is { } path)
        {
            return string.Create(CultureInfo.InvariantCulture, $"tickets stateless, keys from {path} ({store.KeyNames.Count} keys)");
        }

        return store.RotationInterval is { } every
            ? string.Create(CultureInfo.InvariantCulture, $"tickets stateless, own keys rotating every {every.TotalSeconds:0} s")
            : "tickets stateless, own key never rotating";
    }
}
