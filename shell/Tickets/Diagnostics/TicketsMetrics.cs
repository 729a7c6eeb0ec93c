using System.Diagnostics;
using System.Diagnostics.Metrics;
using Tickets.Core.Model;
using Tickets.Core.Policy;
using Tickets.Core.Protocol;

namespace Tickets.Diagnostics;

/// <summary>
/// The meter "Tickets" and its instruments, named after Kestrel's (<c>kestrel.tls_handshake.duration</c>,
/// <c>kestrel.active_tls_handshakes</c>) and OpenTelemetry's <c>tls.*</c> attributes where they mean the same; the rest
/// are ours, under <c>tickets.</c>. One instance per process (<see cref="Shared"/>) unless a context was given an
/// <see cref="IMeterFactory"/>, as ASP.NET Core's dependency injection provides, which then owns the meter. Every
/// recording first asks whether anyone listens, so an unobserved server pays a branch.
/// </summary>
internal sealed class TicketsMetrics
{
    /// <summary>The process-wide meter of contexts given no factory; what <c>dotnet-counters</c> sees by name.</summary>
    public static readonly TicketsMetrics Shared = new(new Meter(TicketsDiagnostics.MeterName));

    // Counted always (an increment each way), observed when someone asks: a listener attached late still sees the truth.
    private long openConnections;
    private long activeHandshakes;

    private TicketsMetrics(Meter meter)
    {
        HandshakeDuration = meter.CreateHistogram(
            "tickets.tls_handshake.duration", unit: "s",
            description: "Duration of TLS handshakes on the server, from the first byte through the client's Finished and the ticket decision.",
            advice: new InstrumentAdvice<double>
            {
                HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
            });
        Handshakes = meter.CreateCounter<long>(
            "tickets.tls_handshakes", unit: "{handshake}", description: "TLS handshakes finished, by kind and outcome.");
        meter.CreateObservableUpDownCounter(
            "tickets.active_tls_handshakes", () => Volatile.Read(ref activeHandshakes), unit: "{handshake}",
            description: "TLS handshakes in progress.");
        meter.CreateObservableUpDownCounter(
            "tickets.open_connections", () => Volatile.Read(ref openConnections), unit: "{connection}",
            description: "Connections open, from creation until disposed.");
        RejectedConnections = meter.CreateCounter<long>(
            "tickets.rejected_connections", unit: "{connection}", description: "Accepted connections closed before their handshake.");
        TicketsIssued = meter.CreateCounter<long>(
            "tickets.tickets_issued", unit: "{ticket}", description: "NewSessionTickets decided and sent, by the core's reason.");
        ResumptionVerdicts = meter.CreateCounter<long>(
            "tickets.resumption_verdicts", unit: "{identity}", description: "Verdicts on the PSK identities clients offered.");
        Alerts = meter.CreateCounter<long>(
            "tickets.tls_alerts", unit: "{alert}", description: "TLS alerts sent and received, by description.");
        PostHandshakeAuthentications = meter.CreateCounter<long>(
            "tickets.post_handshake_authentications", unit: "{authentication}",
            description: "Post-handshake client authentications completed, by result.");
    }

    /// <summary>The instruments on a meter of <paramref name="factory"/>'s, or <see cref="Shared"/> without one.</summary>
    public static TicketsMetrics For(IMeterFactory? factory) =>
        factory is null ? Shared : new(factory.Create(new MeterOptions(TicketsDiagnostics.MeterName)));

    public Histogram<double> HandshakeDuration { get; }

    public Counter<long> Handshakes { get; }

    public Counter<long> RejectedConnections { get; }

    public Counter<long> TicketsIssued { get; }

    public Counter<long> ResumptionVerdicts { get; }

    public Counter<long> Alerts { get; }

    public Counter<long> PostHandshakeAuthentications { get; }

    public void ConnectionOpened() => Interlocked.Increment(ref openConnections);

    public void ConnectionClosed() => Interlocked.Decrement(ref openConnections);

    public void HandshakeStarted() => Interlocked.Increment(ref activeHandshakes);

    public void HandshakeEnded() => Interlocked.Decrement(ref activeHandshakes);

    public const string ProtocolVersion = "1.3";

    public void Alert(AlertDescription alert, string direction)
    {
        if (Alerts.Enabled)
        {
            Alerts.Add(1, new KeyValuePair<string, object?>("tickets.alert.description", AlertNames.Of(alert)),
                new KeyValuePair<string, object?>("tickets.alert.direction", direction));
        }
    }

    public void Tickets(DecisionReason reason, int count)
    {
        if (TicketsIssued.Enabled)
        {
            TicketsIssued.Add(count, new KeyValuePair<string, object?>("tickets.decision.reason", SnakeCase(reason.ToString())));
        }
    }

    public void Verdicts(ResumptionDecision decision)
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

    public void ClientAuthenticated(bool withCertificate)
    {
        if (PostHandshakeAuthentications.Enabled)
        {
            PostHandshakeAuthentications.Add(1,
                new KeyValuePair<string, object?>("tickets.client_authentication.result", withCertificate ? "certificate" : "declined"));
        }
    }

    public void Rejected(string reason)
    {
        if (RejectedConnections.Enabled)
        {
            RejectedConnections.Add(1, new KeyValuePair<string, object?>("tickets.rejection.reason", reason));
        }
    }

    /// <summary>The tags of one finished handshake: its kind, whether it needed a HelloRetryRequest, and how it ended.</summary>
    /// <param name="kind">full, resumed or external_psk; null for a handshake that failed.</param>
    /// <param name="helloRetry">Whether the server sent a HelloRetryRequest.</param>
    /// <param name="cipher">The IANA name of the suite, once negotiated.</param>
    /// <param name="errorType">How a failed handshake ended (an alert's name, timeout, canceled, transport).</param>
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
