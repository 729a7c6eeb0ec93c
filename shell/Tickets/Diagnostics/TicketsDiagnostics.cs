namespace Tickets;

/// <summary>
/// The names under which Tickets reports what it does, for <c>dotnet-counters</c>, OpenTelemetry
/// (<c>.AddMeter(TicketsDiagnostics.MeterName)</c>, <c>.AddSource(TicketsDiagnostics.ActivitySourceName)</c>) or your own
/// <c>MeterListener</c> and <c>ActivityListener</c>. docs/library.md lists every instrument, tag and log event.
/// </summary>
public static class TicketsDiagnostics
{
    /// <summary>The <c>System.Diagnostics.Metrics</c> meter: "Tickets".</summary>
    public const string MeterName = "Tickets";

    /// <summary>The <c>System.Diagnostics.ActivitySource</c> with one activity per handshake: "Tickets".</summary>
    public const string ActivitySourceName = "Tickets";

    /// <summary>The name of the activity each handshake runs in: "Tickets.TlsHandshake".</summary>
    public const string HandshakeActivityName = "Tickets.TlsHandshake";

    /// <summary>The logger category of server events (accept, refuse, start, stop): "Tickets.TicketServer".</summary>
    public const string ServerLogCategory = "Tickets.TicketServer";

    /// <summary>
    /// The logger category of connection events (handshakes, ticket decisions, resumption verdicts, alerts, post-handshake
    /// authentication): "Tickets.TicketServerConnection".
    /// </summary>
    public const string ConnectionLogCategory = "Tickets.TicketServerConnection";
}
