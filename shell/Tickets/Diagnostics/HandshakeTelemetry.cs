using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Tickets.Core.Policy;
using Tickets.Core.Protocol;
using Tickets.Handshake;

namespace Tickets.Diagnostics;

/// <summary>
/// What one handshake reports, from its start to its end: the active-handshake gauge, the duration and outcome
/// instruments, the activity, and the log events. Started by <see cref="TicketServerConnection.HandshakeAsync"/>; each
/// ending is reported once.
/// </summary>
internal struct HandshakeTelemetry
{
    private static readonly ActivitySource Source = new(TicketsDiagnostics.ActivitySourceName);

    private TicketsMetrics metrics;
    private long started;
    private Activity? activity;
    private bool countedActive;

    public static HandshakeTelemetry Start(TicketServerConnection connection)
    {
        var telemetry = new HandshakeTelemetry { metrics = connection.Metrics, started = Stopwatch.GetTimestamp(), countedActive = true };
        telemetry.metrics.HandshakeStarted();

        telemetry.activity = Source.StartActivity(TicketsDiagnostics.HandshakeActivityName, ActivityKind.Server);
        if (telemetry.activity is { IsAllDataRequested: true } activity)
        {
            activity.SetTag("tickets.connection.id", connection.Id);
            activity.SetTag("tls.protocol.name", "tls");
            activity.SetTag("tls.protocol.version", TicketsMetrics.ProtocolVersion);
            if (connection.RemoteEndPoint is System.Net.IPEndPoint remote)
            {
                activity.SetTag("client.address", remote.Address.ToString());
                activity.SetTag("client.port", remote.Port);
            }
        }

        return telemetry;
    }

    /// <summary>The handshake and its ticket flight are done.</summary>
    public void Completed(TicketServerConnection connection, HandshakeSummary summary, bool helloRetry)
    {
        var elapsed = Stopwatch.GetElapsedTime(started);
        var kind = summary.ExternalPsk ? "external_psk" : summary.Resumed ? "resumed" : "full";
        var cipher = connection.NegotiatedCipherSuite.ToString();
        End(TicketsMetrics.HandshakeTags(kind, helloRetry, cipher, errorType: null), elapsed);
        if (activity is { IsAllDataRequested: true } span)
        {
            span.SetTag("tickets.handshake.kind", kind);
            span.SetTag("tls.resumed", summary.Resumed);
            span.SetTag("tickets.hello_retry", helloRetry);
            span.SetTag("tls.cipher", cipher);
            span.SetTag("tls.client.server_name", PeerText.Escape(summary.ServerName));
            span.SetTag("tls.next_protocol", summary.ApplicationProtocol);
            span.SetTag("tickets.tickets_issued", connection.IssuedTickets.Count);
        }

        StopActivity(ActivityStatusCode.Ok, null);
        var logger = connection.Logger;
        if (logger.IsEnabled(LogLevel.Debug))
        {
            TicketsLog.HandshakeCompleted(logger, connection.Id, kind, cipher, summary.Group?.ToString() ?? "none",
                PeerText.Escape(summary.ApplicationProtocol ?? "none"), elapsed.TotalMilliseconds, null);
            // Both are the client's choice: escaped, so a name or subject cannot forge a line or drive a terminal.
            var peer = connection.PeerIdentity is { } identity
                ? $"subject \"{PeerText.Escape(identity.Subject)}\" verified={identity.Verified}"
                : "none";
            TicketsLog.ClientIdentified(logger, connection.Id, PeerText.Escape(summary.ServerName), peer, null);
        }
    }

    /// <summary>The handshake failed with <paramref name="failure"/>, what its caller is about to get.</summary>
    public void Failed(TicketServerConnection connection, Exception failure, bool helloRetry)
    {
        var elapsed = Stopwatch.GetElapsedTime(started);
        var errorType = ErrorType(failure);
        End(TicketsMetrics.HandshakeTags(null, helloRetry, cipher: null, errorType), elapsed);
        activity?.SetTag("error.type", errorType);
        StopActivity(ActivityStatusCode.Error, errorType);
        var logger = connection.Logger;
        if (!logger.IsEnabled(LogLevel.Debug))
        {
            return;
        }

        if (failure is TlsHandshakeException handshake)
        {
            // Reasons can quote what the peer sent (a certificate's chain problems, say): escaped like every peer string.
            var direction = handshake.InnerException is IOException or ObjectDisposedException ? "transport"
                : handshake.SentByPeer ? "received" : "sent";
            TicketsLog.HandshakeFailed(logger, connection.Id, direction, AlertNames.Of(handshake.Alert), PeerText.Escape(handshake.InnerException?.Message ?? handshake.Message), null);
        }
        else
        {
            TicketsLog.HandshakeAbandoned(logger, connection.Id, failure is TimeoutException ? PeerText.Escape(failure.Message) : "cancelled", null);
        }
    }

    /// <summary>The verdicts on the identities the client offered, whichever way the handshake ended.</summary>
    public readonly void Resumption(TicketServerConnection connection, ResumptionDecision? decision)
    {
        if (decision is null)
        {
            return;
        }

        metrics.Verdicts(decision);
        var logger = connection.Logger;
        if (logger.IsEnabled(LogLevel.Debug))
        {
            var index = 0;
            foreach (var check in decision.Verdicts)
            {
                TicketsLog.ResumptionVerdict(logger, connection.Id, index++, check.Verdict.ShortName(), null);
            }
        }
    }

    /// <summary>"handshake_failure" for an alert, "timeout", "canceled" or "transport": the error.type tag.</summary>
    private static string ErrorType(Exception failure) => failure switch
    {
        TlsHandshakeException { InnerException: IOException or ObjectDisposedException } => "transport",
        TlsHandshakeException handshake => AlertNames.Of(handshake.Alert),
        TimeoutException => "timeout",
        _ => "canceled",
    };

    private void End(TagList tags, TimeSpan elapsed)
    {
        if (countedActive)
        {
            metrics.HandshakeEnded();
            countedActive = false;
        }

        if (metrics.HandshakeDuration.Enabled)
        {
            metrics.HandshakeDuration.Record(elapsed.TotalSeconds, tags);
        }

        if (metrics.Handshakes.Enabled)
        {
            metrics.Handshakes.Add(1, tags);
        }
    }

    private void StopActivity(ActivityStatusCode status, string? description)
    {
        if (activity is { } span)
        {
            span.SetStatus(status, description);
            span.Dispose();
            activity = null;
        }
    }
}
