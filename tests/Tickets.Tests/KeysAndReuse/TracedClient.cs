using System.Globalization;
using System.Text.RegularExpressions;
using Tickets.Tests.Interop;

namespace Tickets.Tests.KeysAndReuse;

/// <summary>What one `openssl s_client -trace` run showed.</summary>
/// <param name="Offered">The ClientHello carried a pre_shared_key: the client offered its saved session.</param>
/// <param name="Reused">s_client reported "Reused": the server accepted it.</param>
/// <param name="Tickets">NewSessionTicket messages received.</param>
/// <param name="LifetimeHints">ticket_lifetime of each ticket received.</param>
/// <param name="SavedSession">The -sess_out file, or null when no ticket arrived.</param>
internal sealed record TracedRun(bool Offered, bool Reused, int Tickets, IReadOnlyList<uint> LifetimeHints, string? SavedSession, ProcessResult Output);

/// <summary>
/// openssl s_client with -trace, which decodes every message: unlike -msg it shows whether the ClientHello offered a
/// session (extension psk(41) with identities, not the 2-byte answer in ServerHello), so a full handshake can be told
/// apart from "the client did not even try". Used against `tickets serve --www`, which closes after its page, so all
/// tickets are read before s_client exits.
/// </summary>
internal static partial class TracedClient
{
    public static async Task<TracedRun> ConnectAsync(int port, string directory, string? sessionIn = null)
    {
        var saved = Path.Combine(directory, $"session-{Guid.NewGuid():N}.pem");
        var arguments = new List<string>
        {
            "s_client", "-connect", $"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}", "-servername", "localhost",
            "-tls1_3", "-trace", "-ign_eof", "-sess_out", saved,
        };
        if (sessionIn is not null)
        {
            arguments.AddRange(["-sess_in", sessionIn]);
        }

        var result = await ExternalProgram.RunAsync("openssl", arguments, Interop.Clients.OpenSslClient.Request, TimeSpan.FromSeconds(20));
        Assert.True(result.ExitCode == 0, result.Describe());
        var output = result.StandardOutput;
        var reused = output.Contains("Reused, TLSv1.3", StringComparison.Ordinal);
        Assert.True(reused ^ output.Contains("New, TLSv1.3", StringComparison.Ordinal), $"expected exactly one of New/Reused:\n{result.Describe()}");
        var offered = PskExtension().Matches(output).Any(match => int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) > 2);
        var hints = LifetimeHint().Matches(output).Select(match => uint.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture)).ToArray();
        var tickets = TicketMessage().Count(output);
        return new TracedRun(offered, reused, tickets, hints, File.Exists(saved) ? saved : null, result);
    }

    [GeneratedRegex(@"extension_type=psk\(41\), length=(\d+)")]
    private static partial Regex PskExtension();

    [GeneratedRegex(@"^\s+ticket_lifetime_hint=(\d+)\s*$", RegexOptions.Multiline)]
    private static partial Regex LifetimeHint();

    [GeneratedRegex(@"^\s+NewSessionTicket, Length=\d+\s*$", RegexOptions.Multiline)]
    private static partial Regex TicketMessage();
}
