using System.Globalization;
using System.Text.RegularExpressions;
using Tickets.Trace;

namespace Tickets.Tests.Trace;

/// <summary>A handshake message as one side printed it: direction, RFC 8446 name, body length and whether it was protected.</summary>
public sealed record TracedMessage(bool FromClient, string Name, int Length, bool Protected);

/// <summary>One "== ticket decision" line: how many tickets the core decided on, and the rule that chose the number.</summary>
public sealed record TracedDecision(int Count, string Reason, string Sentence);

/// <summary>One "=> ticket issued" line of the trace.</summary>
public sealed record TracedTicket(ulong Nonce, uint Lifetime, uint AgeAdd, int TicketLength, string KeyName, string Reason, string Sentence);

/// <summary>
/// The `tickets serve --trace` lines of one connection, read back with patterns written from the format the
/// trace documents, so a change of format that hid information would fail here.
/// </summary>
public sealed partial record ServerTrace(
    IReadOnlyList<string> Lines,
    IReadOnlyList<TracedMessage> Messages,
    IReadOnlyList<TracedDecision> Decisions,
    IReadOnlyList<TracedTicket> Tickets)
{
    /// <summary>The decision after the handshake, the first of the connection.</summary>
    public TracedDecision Handshake => Decisions[0];

    public static ServerTrace Of(IEnumerable<string> output, long connection)
    {
        var prefix = $"conn {connection.ToString(CultureInfo.InvariantCulture)} | ";
        var lines = output.Where(line => line.StartsWith(prefix, StringComparison.Ordinal)).Select(line => line[prefix.Length..]).ToArray();

        var messages = lines.Select(line => MessageLine().Match(line)).Where(match => match.Success)
            .Select(match => new TracedMessage(
                match.Groups["dir"].Value == "C->S",
                match.Groups["name"].Value,
                int.Parse(match.Groups["length"].Value, CultureInfo.InvariantCulture),
                match.Groups["protected"].Success))
            .ToArray();

        var decisions = lines.Select(line => DecisionLine().Match(line)).Where(match => match.Success)
            .Select(match => new TracedDecision(
                int.Parse(match.Groups["count"].Value, CultureInfo.InvariantCulture), match.Groups["reason"].Value, match.Groups["sentence"].Value))
            .ToArray();
        Assert.True(decisions.Length > 0, $"no ticket decision for connection {connection}:\n{string.Join('\n', lines)}");

        var tickets = lines.Select(line => TicketLine().Match(line)).Where(match => match.Success)
            .Select(match => new TracedTicket(
                ulong.Parse(match.Groups["nonce"].Value, CultureInfo.InvariantCulture),
                uint.Parse(match.Groups["lifetime"].Value, CultureInfo.InvariantCulture),
                uint.Parse(match.Groups["age"].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture),
                int.Parse(match.Groups["length"].Value, CultureInfo.InvariantCulture),
                match.Groups["key"].Value,
                match.Groups["reason"].Value,
                match.Groups["sentence"].Value))
            .ToArray();

        return new ServerTrace(
            lines,
            messages,
            decisions,
            tickets);
    }

    /// <summary>Lines carrying a traffic secret, recognised by the warning every one of them must carry.</summary>
    public IEnumerable<string> SecretLines => Lines.Where(line => line.Contains(TraceTextWriter.SecretWarning, StringComparison.Ordinal));

    [GeneratedRegex(@"^(?<dir>C->S|S->C) (?<name>[A-Za-z]+), (?<length>\d+) bytes?(?<protected>, protected)?$")]
    private static partial Regex MessageLine();

    [GeneratedRegex(@"^== ticket decision: (?<count>\d+) tickets? \((?<reason>\w+)\): (?<sentence>.+)$")]
    private static partial Regex DecisionLine();

    [GeneratedRegex(@"^\s+=> ticket issued: nonce (?<nonce>\d+), lifetime (?<lifetime>\d+) s, age_add 0x(?<age>[0-9a-f]{8}), ticket (?<length>\d+) bytes, sealed with key name (?<key>[0-9a-f]{32}), reason (?<reason>\w+): (?<sentence>.+)$")]
    private static partial Regex TicketLine();
}
