using System.Globalization;
using System.Text.RegularExpressions;

namespace Tickets.Tests.Interop;

/// <summary>One parsed per-connection line of `tickets serve`: "conn 3 127.0.0.1:51234 full TLS_AES_128_GCM_SHA256 x25519 tickets=2".</summary>
public sealed partial record ServerConnectionLine(long Id, string Remote, bool Resumed, string CipherSuite, string Group, int Tickets)
{
    public static bool IsConnectionLine(string line) => Pattern().IsMatch(line);

    public static ServerConnectionLine Parse(string line)
    {
        var match = Pattern().Match(line);
        if (!match.Success)
        {
            throw new FormatException($"not a connection line: '{line}'");
        }

        return new ServerConnectionLine(
            long.Parse(match.Groups["id"].Value, CultureInfo.InvariantCulture),
            match.Groups["remote"].Value,
            match.Groups["kind"].Value == "resumed",
            match.Groups["suite"].Value,
            match.Groups["group"].Value,
            int.Parse(match.Groups["tickets"].Value, CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"^conn (?<id>\d+) (?<remote>\S+) (?<kind>full|resumed) (?<suite>TLS_\S+) (?<group>\S+) tickets=(?<tickets>\d+)$")]
    private static partial Regex Pattern();
}
