using System.Globalization;
using System.Text.RegularExpressions;

namespace Tickets.Tests.Interop;

/// <summary>
/// Reads what a server's status page says about the connection that fetched it. `tickets serve --www` writes
/// "Session resumed: yes|no" and "Tickets issued on this connection: N"; `openssl s_server -www` writes
/// "Reused, TLSv1.3" or "New, TLSv1.3" and does not report tickets.
/// </summary>
public static partial class HttpPage
{
    public static bool IsOk(string page) => page.StartsWith("HTTP/1.0 200", StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether the page says the session was resumed; fails the test when it says neither.</summary>
    public static bool SaysResumed(string page)
    {
        var yes = page.Contains("Session resumed: yes", StringComparison.Ordinal) || page.Contains("Reused, TLSv1.3", StringComparison.Ordinal);
        var no = page.Contains("Session resumed: no", StringComparison.Ordinal) || page.Contains("New, TLSv1.3", StringComparison.Ordinal);
        Assert.True(yes ^ no, $"the page should say whether the session was resumed:\n{page}");
        return yes;
    }

    /// <summary>The ticket count `tickets serve --www` reports, or null when the page has none (s_server).</summary>
    public static int? TicketsIssued(string page)
    {
        var match = TicketsLine().Match(page);
        return match.Success ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : null;
    }

    /// <summary>The value of a "Name: value" line of the tickets page, or null.</summary>
    public static string? Field(string page, string name)
    {
        foreach (var line in page.Split('\n'))
        {
            if (line.StartsWith(name + ": ", StringComparison.Ordinal))
            {
                return line[(name.Length + 2)..].TrimEnd('\r');
            }
        }

        return null;
    }

    [GeneratedRegex(@"^Tickets issued on this connection: (\d+)\r?$", RegexOptions.Multiline)]
    private static partial Regex TicketsLine();
}
