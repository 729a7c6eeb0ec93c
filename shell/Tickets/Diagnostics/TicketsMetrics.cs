using System.Diagnostics;
using System.Diagnostics.Metrics;
using Tickets.Core.Model;
using Tickets.Core.Policy;
using Tickets.Core.Protocol;

namespace Tickets.Diagnostics;

/// <summary>
/// The meter "Tickets" and its instruments, one set per process as Kestrel's are. Names and tags follow Kestrel's
/// (<c>kestrel.tls_handshake.duration</c>, <c>kestrel.active_tls_handshakes</c>) and OpenTelemetry's <c>tls.*</c>
/// attributes where they mean the same; the rest are ours, under <c>tickets.</c>. Every recording first asks whether
/// anyone listens, so an unobserved server pays a branch.
/// </summary>
internal static class TicketsMetrics
{
    private static readonly Meter Meter = new(TicketsDiagnostics.MeterName);

    public static readonly Histogram<double> HandshakeDuration = Meter.CreateHistogram(
        "tickets.tls_handshake.duration", unit: "s",
        description: "Duration of TLS handshakes on the server, through the client's Finished and the ticket flight.",
        advice: new InstrumentAdvice<double>
        {
            HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
        });

    public static readonly Counter<long> Handshakes = Meter.CreateCounter<long>(
        "tickets.tls_handshakes", unit: "{handshake}", description: "TLS handshakes finished, by kind and outcome.");

    public static readonly UpDownCounter<long> ActiveHandshakes = Meter.CreateUpDownCounter<long>(
        "tickets.active_tls_handshakes", unit: "{handshake}", description: "TLS handshakes in progress.");

    public static readonly UpDownCounter<long> ActiveConnections = Meter.CreateUpDownCounter<long>(
        "tickets.active_connections", unit: "{connection}", description: "Connections open, from creation until disposed.");

    public static readonly Counter<long> RejectedConnections = Meter.CreateCounter<long>(
        "tickets.rejected_connections", unit: "{connection}", description: "Accepted connections closed before their handshake.");

    public static readonly Counter<long> TicketsIssued = Meter.CreateCounter<long>(
        "tickets.tickets_issued", unit: "{ticket}", description: "NewSessionTickets decided and sent, by the core's reason.");

    public static readonly Counter<long> ResumptionVerdicts = Meter.CreateCounter<long>(
        "tickets.resumption_verdicts", unit: "{identity}", description: "Verdicts on the PSK identities clients offered.");

    public static readonly Counter<long> Alerts = Meter.CreateCounter<long>(
        "tickets.tls_alerts", unit: "{alert}", description: "TLS alerts sent and received, by description.");

    public static readonly Counter<long> PostHandshakeAuthentications = Meter.CreateCounter<long>(
        "tickets.post_handshake_authentications", unit: "{authentication}",
        description: "Post-handshake client authentications completed, by result.");

    public const string ProtocolVersion = "1.3";

    public static void Alert(AlertDescription alert, string direction)
    {
        if (Alerts.Enabled)
        {
            Alerts.Add(1, new KeyValuePair<string, object?>("tickets.alert.description", AlertNames.Of(alert)),
                new KeyValuePair<string, object?>("tickets.alert.direction", direction));
        }
    }

    public static void Tickets(DecisionReason reason, int count)
    {
        if (TicketsIssued.Enabled)
        {
            TicketsIssued.Add(count, new KeyValuePair<string, object?>("tickets.decision.reason", SnakeCase(reason.ToString())));
        }
    }

    public static void Verdicts(ResumptionDecision decision)
    {
        if (!ResumptionVerdicts.Enabled)
        {
            return;
        }

        foreach (var check in decision.Verdicts)
        {
            ResumptionVerdicts.Add(1, new KeyValuePair<string, object?>("tickets.resumption.verdict", SnakeCase(check.Verdict.ToString())));
        }
    }

    public static void ClientAuthenticated(bool withCertificate)
    {
        if (PostHandshakeAuthentications.Enabled)
        {
            PostHandshakeAuthentications.Add(1,
                new KeyValuePair<string, object?>("tickets.client_authentication.result", withCertificate ? "certificate" : "declined"));
        }
    }

    public static void Rejected(string reason)
    {
        if (RejectedConnections.Enabled)
        {
            RejectedConnections.Add(1, new KeyValuePair<string, object?>("tickets.rejection.reason", reason));
        }
    }

    /// <summary>The tags of one finished handshake: its kind, whether it needed a HelloRetryRequest, and how it ended.</summary>
    /// <param name="kind">full, resumed or external_psk; null for a handshake that failed.</param>
    public static TagList HandshakeTags(string? kind, bool helloRetry, string? cipher, string? errorType)
    {
        var tags = new TagList
        {
            { "tls.protocol.version", ProtocolVersion },
            { "tickets.hello_retry", helloRetry },
        };
        if (kind is not null)
        {
            tags.Add("tickets.handshake.kind", kind);
            tags.Add("tls.resumed", kind != "full");
        }

        if (cipher is not null)
        {
            tags.Add("tls.cipher", cipher);
        }

        if (errorType is not null)
        {
            tags.Add("error.type", errorType);
        }

        return tags;
    }

    private static readonly Dictionary<string, string> SnakeCaseNames = new(StringComparer.Ordinal);

    /// <summary>"FullHandshakeCount" → "full_handshake_count": tag values in the style of OpenTelemetry's.</summary>
    internal static string SnakeCase(string name)
    {
        lock (SnakeCaseNames)
        {
            if (!SnakeCaseNames.TryGetValue(name, out var snake))
            {
                snake = ToSnakeCase(name);
                SnakeCaseNames[name] = snake;
            }

            return snake;
        }
    }

    private static string ToSnakeCase(string name)
    {
        var builder = new System.Text.StringBuilder(name.Length + 8);
        for (var index = 0; index < name.Length; index++)
        {
            var character = name[index];
            if (char.IsUpper(character) && index > 0)
            {
                builder.Append('_');
            }

            builder.Append(char.ToLowerInvariant(character));
        }

        return builder.ToString();
    }
}
