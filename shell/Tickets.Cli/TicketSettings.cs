using System.Globalization;
using Tickets.Core.Model;
using Tickets;

namespace Tickets.Cli;

/// <summary>
/// Applies the flags that hold for every ticket store (single use, stateful mode, resumption across server names,
/// ticket_request cap) to the server context, and describes the tickets in one start line.
/// </summary>
internal static class TicketSettings
{
    /// <summary>False, after telling why on <paramref name="errors"/>, when a value is refused.</summary>
    public static bool Apply(ServeOptions options, TicketServerContext context, TextWriter errors)
    {
        context.SingleUseTickets = options.SingleUseTickets;
        context.ResumeAcrossServerNames = options.ResumeAnyServerName;
        if (options.StatefulTickets)
        {
            context.TicketMode = TicketMode.Stateful;
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
    public static string Describe(TicketServerContext context, ServeTicketStore store)
    {
        var parts = new List<string>
        {
            store.Describe(context.TicketMode),
            context.SingleUseTickets ? "single use" : "reusable",
            context.ResumeAcrossServerNames ? "resumed under any server name" : "resumed under the same server name only",
            string.Create(CultureInfo.InvariantCulture, $"max ticket request {context.MaxTicketRequest}"),
        };
        return string.Join(", ", parts);
    }
}
