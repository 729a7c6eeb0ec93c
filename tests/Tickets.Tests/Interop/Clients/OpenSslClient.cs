using System.Globalization;

namespace Tickets.Tests.Interop.Clients;

/// <summary>
/// `openssl s_client -tls1_3 -msg`: every handshake message received is printed as a "&lt;&lt;&lt; TLS 1.3, Handshake ...,
/// NewSessionTicket" line, so tickets are counted exactly; "Reused, TLSv1.3" vs "New, TLSv1.3" says whether the
/// server accepted the offered session. -sess_out saves the newest ticket's session (s_client writes it from its
/// new-session callback, so no file appears when no ticket arrived) and -sess_in offers it on the next connection.
/// </summary>
public static class OpenSslClient
{
    public const string Request = "GET / HTTP/1.0\r\n\r\n";

    public sealed record Run(ClientConnection Connection, bool OfferedSession, bool SavedSession, string Page, ProcessResult Output);

    /// <summary>
    /// Connects <paramref name="connections"/> times, each offering the session the previous one saved (if any), and
    /// sends <paramref name="request"/> (default <see cref="Request"/>) on each, with <paramref name="extraArguments"/>
    /// added to s_client's (e.g. a client certificate).
    /// </summary>
    public static async Task<IReadOnlyList<Run>> ChainAsync(
        int port, int connections, string request = Request, IEnumerable<string>? extraArguments = null)
    {
        var directory = InteropPaths.NewDirectory("s_client");
        var runs = new List<Run>();
        string? offered = null;
        for (var index = 0; index < connections; index++)
        {
            var saved = Path.Combine(directory, $"session{index}.pem");
            var arguments = new List<string>
            {
                "s_client", "-connect", $"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}", "-servername", "localhost",
                "-tls1_3", "-msg", "-ign_eof", "-sess_out", saved,
            };
            arguments.AddRange(extraArguments ?? []);
            if (offered is not null)
            {
                arguments.AddRange(["-sess_in", offered]);
            }

            // -ign_eof: keep reading after our request until the server closes, so tickets sent after the
            // handshake are all read before s_client exits (--www servers close after the page).
            var result = await ExternalProgram.RunAsync("openssl", arguments, request, TimeSpan.FromSeconds(20));
            Assert.True(result.ExitCode == 0, result.Describe());
            var tickets = TicketsIn(result.StandardOutput);
            var reused = result.StandardOutput.Contains("Reused, TLSv1.3", StringComparison.Ordinal);
            var fresh = result.StandardOutput.Contains("New, TLSv1.3", StringComparison.Ordinal);
            Assert.True(reused ^ fresh, $"s_client should report exactly one of New/Reused:\n{result.Describe()}");
            var pageStart = result.StandardOutput.IndexOf("HTTP/1.", StringComparison.Ordinal);
            var page = pageStart < 0 ? "" : result.StandardOutput[pageStart..];

            var savedSession = File.Exists(saved);
            runs.Add(new Run(new ClientConnection(tickets, reused), offered is not null, savedSession, page, result));
            offered = savedSession ? saved : null;
        }

        return runs;
    }

    /// <summary>The NewSessionTicket messages s_client -msg printed as received.</summary>
    public static int TicketsIn(string output) =>
        output.Split('\n')
            .Count(line => line.StartsWith("<<< TLS 1.3, Handshake", StringComparison.Ordinal) && line.TrimEnd().EndsWith("NewSessionTicket", StringComparison.Ordinal));
}
