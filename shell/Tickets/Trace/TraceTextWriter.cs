using System.Globalization;
using System.Text;
using Tickets.Core.Model;
using Tickets.Core.Policy;
using Tickets.Core.Protocol;

namespace Tickets.Trace;

/// <summary>
/// Writes trace events as text, one event's lines at a time, in the manner of <c>openssl s_client -msg -trace</c>:
/// a header line per record and per handshake message, then the message's fields indented beneath it. Every line
/// starts with "conn N |" so interleaved connections can be told apart (and grepped). This is what
/// <c>tickets serve --trace</c> prints.
/// </summary>
public sealed class TraceTextWriter : ITlsTraceSink
{
    /// <summary>The marker on every line that carries a secret, so nobody mistakes such a trace for a shareable log.</summary>
    public const string SecretWarning = "UNSAFE outside a lab";

    private readonly TextWriter output;
    private readonly long? connectionNumber;

    /// <param name="output">Where lines go; shared writers are locked per event, so lines of one event stay together.</param>
    /// <param name="connectionNumber">The number to print; by default the event's own connection id.</param>
    public TraceTextWriter(TextWriter output, long? connectionNumber = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        this.output = output;
        this.connectionNumber = connectionNumber;
    }

    /// <summary>Writes the event's lines, each prefixed with "conn N | ", in one piece.</summary>
    /// <param name="traceEvent">The event to write.</param>
    public void OnTrace(TlsTraceEvent traceEvent)
    {
        ArgumentNullException.ThrowIfNull(traceEvent);
        var prefix = $"conn {(connectionNumber ?? traceEvent.ConnectionId).ToString(CultureInfo.InvariantCulture)} | ";
        var text = new StringBuilder();
        foreach (var line in Lines(traceEvent))
        {
            text.Append(prefix).Append(line).Append('\n');
        }

        lock (output)
        {
            output.Write(text.ToString());
            output.Flush();
        }
    }

    /// <summary>The lines for one event, without the connection prefix.</summary>
    public static IEnumerable<string> Lines(TlsTraceEvent traceEvent) => traceEvent switch
    {
        TlsTraceEvent.Record record => [RecordLine(record)],
        TlsTraceEvent.HandshakeMessage message => MessageLines(message),
        TlsTraceEvent.Alert alert =>
        [
            $"{Arrow(alert.Direction)} alert {(alert.Level == AlertLevel.Warning ? "warning" : alert.Level == AlertLevel.Fatal ? "fatal" : $"level {(byte)alert.Level}")} " +
            $"{AlertNames.Of(alert.Description)}{(alert.Protected ? ", protected" : "")}",
        ],
        TlsTraceEvent.Negotiated negotiated => [NegotiatedLine(negotiated)],
        TlsTraceEvent.ResumptionDecision resumption => ResumptionLines(resumption),
        TlsTraceEvent.TicketDecision decision =>
        [
            $"== ticket decision: {Tickets(decision.Count)} ({decision.Reason}): {decision.Explanation}",
        ],
        TlsTraceEvent.TicketIssued ticket =>
        [
            $"   => ticket issued: nonce {ticket.Nonce.ToString(CultureInfo.InvariantCulture)}, " +
            $"lifetime {ticket.LifetimeSeconds.ToString(CultureInfo.InvariantCulture)} s, " +
            $"age_add 0x{ticket.AgeAdd.ToString("x8", CultureInfo.InvariantCulture)}, " +
            $"ticket {ticket.TicketLength.ToString(CultureInfo.InvariantCulture)} bytes, " +
            $"sealed with key name {ticket.KeyName}, reason {ticket.Reason}: {ticket.Reason.Describe()}",
        ],
        TlsTraceEvent.TrafficSecret secret =>
        [
            $"!! {SecretWarning}: {secret.Label} {Convert.ToHexStringLower(secret.Secret)}",
        ],
        _ => [$"unknown trace event {traceEvent.GetType().Name}"],
    };

    private static IEnumerable<string> ResumptionLines(TlsTraceEvent.ResumptionDecision resumption)
    {
        yield return resumption.ChosenIdentity is { } chosen
            ? $"== resumption decision: resume identity {chosen.ToString(CultureInfo.InvariantCulture)}"
            : "== resumption decision: full handshake";
        for (var i = 0; i < resumption.Verdicts.Count; i++)
        {
            var check = resumption.Verdicts[i];
            yield return $"   verdict on identity {i.ToString(CultureInfo.InvariantCulture)}: {check.Verdict.ShortName()}" +
                // The ages are known once the ticket got as far as the freshness check.
                (check.Verdict is not (ResumptionVerdict.BeyondIdentityCap or ResumptionVerdict.NotOpened or ResumptionVerdict.AlreadyUsed
                    or ResumptionVerdict.ProtocolVersionMismatch or ResumptionVerdict.HashMismatch or ResumptionVerdict.KeyExchangeModeRefused)
                    ? $" (server age {check.ServerAgeMilliseconds.ToString(CultureInfo.InvariantCulture)} ms, client age {check.ClientAgeMilliseconds.ToString(CultureInfo.InvariantCulture)} ms)"
                    : "") +
                $": {check.Verdict.Describe()}";
        }
    }

    private static string RecordLine(TlsTraceEvent.Record record)
    {
        var protection = record.Protected
            ? "protected (outer type application_data)"
            : "plaintext";
        return $"{Arrow(record.Direction)} record {TlsNames.ContentType((byte)record.ContentType)}, " +
            $"{ExtensionDissector.Bytes(record.Length)} ({record.WireLength.ToString(CultureInfo.InvariantCulture)} on the wire), {protection}";
    }

    private static IEnumerable<string> MessageLines(TlsTraceEvent.HandshakeMessage message)
    {
        yield return $"{Arrow(message.Direction)} {message.Fields.Name}, {message.Fields.Value}{(message.Protected ? ", protected" : "")}";
        foreach (var line in Tree(message.Fields.Children, depth: 1))
        {
            yield return line;
        }
    }

    private static IEnumerable<string> Tree(IReadOnlyList<TraceNode> nodes, int depth)
    {
        var indent = new string(' ', 2 + (2 * depth));
        foreach (var node in nodes)
        {
            yield return node.Value.Length == 0 ? $"{indent}{node.Name}" : $"{indent}{node.Name}: {node.Value}";
            foreach (var line in Tree(node.Children, depth + 1))
            {
                yield return line;
            }
        }
    }

    private static string NegotiatedLine(TlsTraceEvent.Negotiated negotiated)
    {
        var parts = new List<string>
        {
            TlsNames.Version(negotiated.Version),
            negotiated.CipherSuite.ToString(),
            negotiated.Group is { } group ? $"group {group}" : "no group (psk_ke: the PSK alone keys the connection)",
            negotiated.SignatureScheme is { } scheme ? $"signature {scheme}" : "no signature (resumed: the PSK authenticates)",
        };
        if (negotiated.ServerName is { } name)
        {
            parts.Add($"server_name {Printable(name)}");
        }

        if (negotiated.ApplicationProtocol is { } protocol)
        {
            parts.Add($"ALPN {Printable(protocol)}");
        }

        parts.Add(negotiated.Resumed ? "resumed" : "full handshake");
        return $"== negotiated: {string.Join(", ", parts)}";
    }

    // Names come from the client: escaped so a trace line cannot be forged or drive the terminal.
    private static string Printable(string text) => PeerText.Escape(text);

    private static string Arrow(TraceDirection direction) => direction == TraceDirection.Received ? "C->S" : "S->C";

    private static string Tickets(int count) => count == 1 ? "1 ticket" : $"{count.ToString(CultureInfo.InvariantCulture)} tickets";
}
