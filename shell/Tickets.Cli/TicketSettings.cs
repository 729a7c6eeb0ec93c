using System.Globalization;
using Tickets.Core.Model;
using Tickets;
using Tickets.TicketStore;

namespace Tickets.Cli;

/// <summary>
/// Applies the ticket protection flags (key file, rotation, single use, stateful mode, cache size, ticket_request cap)
/// to the server context, and describes the result in one start line. Nothing it logs contains key material: key
/// file messages name the file and the fault only.
/// </summary>
internal static class TicketSettings
{
    /// <summary>False, after telling why on <paramref name="errors"/>, when the key file cannot be used.</summary>
    public static bool Apply(ServeOptions options, TicketServerContext context, ServeLog log, TextWriter errors)
    {
        if (options.TicketKeyRotationSeconds is { } seconds)
        {
            context.TicketKeyRotationInterval = seconds == 0 ? null : TimeSpan.FromSeconds(seconds);
        }

        if (options.TicketKeysPath is { } path)
        {
            try
            {
                context.UseTicketKeyFile(path);
            }
            catch (TicketKeyFileException error)
            {
                errors.WriteLine($"tickets: {error.Message}");
                return false;
            }

            // A fleet rotates by rewriting the file; the log shows each server taking the change (or refusing it).
            context.TicketKeyFileReloaded += (_, _) => log.Status($"ticket keys reloaded from {context.TicketKeyFilePath}");
            context.TicketKeyFileReloadFailed += (_, error) => log.Status($"ticket key file not used, keeping the keys in use: {error.Message}");
        }

        context.SingleUseTickets = options.SingleUseTickets;
        context.ResumeAcrossServerNames = options.ResumeAnyServerName;
        if (options.StatefulTickets)
        {
            context.TicketMode = TicketMode.Stateful;
        }

        if (options.SessionCacheSize is { } size)
        {
            context.SessionCacheSize = size;
        }

        if (options.SessionCacheBytes is { } bytes)
        {
            context.SessionCacheBytes = bytes;
        }

        if (options.MaxTicketRequest is { } max && context.SetMaxTicketRequest(max).IsFail)
        {
            // The parser refuses negative values already; this only guards against the two disagreeing.
            errors.WriteLine($"tickets: --max-ticket-request {max} was refused");
            return false;
        }

        return true;
    }

    /// <summary>e.g. "tickets stateless, keys from /etc/tickets.keys (2 keys), single use, max ticket request 8".</summary>
    public static string Describe(TicketServerContext context)
    {
        var parts = new List<string>();
        if (context.TicketMode == TicketMode.Stateful && context.Fleet is not null)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"tickets stateful, sessions in redis (session cache {context.SessionCacheSize} sessions while redis is away)"));
        }
        else if (context.Fleet is not null)
        {
            parts.Add("tickets stateless, keys from the fleet's ring in redis");
        }
        else if (context.TicketMode == TicketMode.Stateful)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"tickets stateful, session cache {context.SessionCacheSize} sessions, at most {context.SessionCacheBytes} bytes"));
        }
        else if (context.TicketKeyFilePath is { } path)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"tickets stateless, keys from {path} ({context.TicketKeyNames.Count} keys)"));
        }
        else
        {
            parts.Add(context.TicketKeyRotationInterval is { } every
                ? string.Create(CultureInfo.InvariantCulture, $"tickets stateless, own keys rotating every {every.TotalSeconds:0} s")
                : "tickets stateless, own key never rotating");
        }

        parts.Add(context.SingleUseTickets ? "single use" : "reusable");
        parts.Add(context.ResumeAcrossServerNames ? "resumed under any server name" : "resumed under the same server name only");
        parts.Add(string.Create(CultureInfo.InvariantCulture, $"max ticket request {context.MaxTicketRequest}"));
        return string.Join(", ", parts);
    }
}
