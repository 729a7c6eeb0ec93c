using Microsoft.Extensions.Logging;
using Tickets.Core.Model;
using Tickets.Core.Protocol;
using Tickets.Diagnostics;

namespace Tickets;

/// <summary>The connection's own reports after the handshake: alerts both ways, ticket decisions, post-handshake authentication.</summary>
public sealed partial class TicketServerConnection
{
    /// <summary>The context's connection logger, as it was when this connection was created.</summary>
    internal ILogger Logger => logger;

    /// <summary>The context's instruments, as they were when this connection was created.</summary>
    internal TicketsMetrics Metrics => metrics;

    private void AlertSent(AlertDescription alert)
    {
        metrics.Alert(alert, "sent");
        if (logger.IsEnabled(LogLevel.Debug))
        {
            TicketsLog.AlertSent(logger, Id, AlertNames.Of(alert), null);
        }
    }

    private void AlertReceived(AlertDescription alert)
    {
        metrics.Alert(alert, "received");
        if (logger.IsEnabled(LogLevel.Debug))
        {
            TicketsLog.AlertReceived(logger, Id, AlertNames.Of(alert), null);
        }
    }

    private void TicketsDecided(TicketDecision decision)
    {
        metrics.Tickets(decision.Reason, decision.Count);
        if (logger.IsEnabled(LogLevel.Debug))
        {
            TicketsLog.TicketsDecided(logger, Id, decision.Count, TicketsMetrics.SnakeCase(decision.Reason.ToString()), decision.Reason.Describe(), null);
        }
    }

    private void ClientAuthenticated(ClientAuthenticationResult result)
    {
        metrics.ClientAuthenticated(result.Peer is not null);
        if (logger.IsEnabled(LogLevel.Debug))
        {
            // The subject is the client's choice: escaped.
            var peer = result.Peer is { } identity ? $"subject \"{PeerText.Escape(identity.Subject)}\" verified={identity.Verified}" : "declined";
            TicketsLog.ClientAuthenticated(logger, Id, peer, result.Tickets.Count, null);
        }
    }
}
