using System.Globalization;
using System.Text.RegularExpressions;

namespace Tickets.Tests.Interop.Clients;

/// <summary>
/// gnutls-cli 3.7.9. With "-d 4" it logs "HSK[..]: NEW SESSION TICKET (4) was received" on standard error for every
/// ticket; "*** This is a resumed session" on standard output marks a resumed handshake. It cannot save a session
/// to a file, so resumption is only "-r": connect, disconnect, reconnect offering the first connection's ticket.
/// Because "-r" hangs up as soon as it holds one ticket, the full handshake's count comes from a separate plain
/// run, and the chain has two links: full, then resumed.
/// </summary>
public static partial class GnuTlsClient
{
    private const string Priority = "NORMAL:-VERS-ALL:+VERS-TLS1.3";

    public sealed record Run(IReadOnlyList<ClientConnection> Connections, ProcessResult Plain, ProcessResult Resuming);

    public static async Task<Run> ChainAsync(int port)
    {
        var plain = await InvokeAsync(port, resume: false, waitForTicket: false);
        var plainConnection = Single(plain);

        // --waitresumption blocks until a ticket arrives, which is right when the server sends tickets and a hang
        // when it sends none; without it gnutls-cli simply has nothing to resume with.
        var resuming = await InvokeAsync(port, resume: true, waitForTicket: plainConnection.Tickets > 0);
        var connections = Split(resuming);
        Assert.True(connections.Count == 2, $"gnutls-cli -r should make two connections:\n{resuming.Describe()}");
        Assert.False(connections[0].Resumed, $"the first -r connection cannot be resumed:\n{resuming.Describe()}");
        return new Run([plainConnection, connections[1]], plain, resuming);
    }

    private static ClientConnection Single(ProcessResult result)
    {
        var connections = Split(result);
        Assert.True(connections.Count == 1, $"expected one connection:\n{result.Describe()}");
        return connections[0];
    }

    /// <summary>
    /// Splits both streams per connection: standard error at the priority-setup line gnutls-cli logs once per
    /// session, standard output at "- Connecting again". The two streams are separate pipes, so their lines cannot
    /// be interleaved reliably; each is split on its own.
    /// </summary>
    private static IReadOnlyList<ClientConnection> Split(ProcessResult result)
    {
        Assert.True(result.ExitCode == 0, result.Describe());
        var ticketCounts = new List<int>();
        foreach (var line in result.StandardError.Split('\n'))
        {
            if (SessionStart().IsMatch(line))
            {
                ticketCounts.Add(0);
            }
            else if (line.Contains("NEW SESSION TICKET (4) was received", StringComparison.Ordinal))
            {
                Assert.True(ticketCounts.Count > 0, $"ticket before any session started:\n{result.Describe()}");
                ticketCounts[^1]++;
            }
        }

        var outputs = result.StandardOutput.Split("- Connecting again", StringSplitOptions.None);
        Assert.True(outputs.Length == ticketCounts.Count, $"stdout shows {outputs.Length} connections, stderr {ticketCounts.Count}:\n{result.Describe()}");
        foreach (var output in outputs)
        {
            Assert.True(output.Contains("Handshake was completed", StringComparison.Ordinal), $"a handshake did not complete:\n{result.Describe()}");
        }

        return outputs
            .Select((output, index) => new ClientConnection(ticketCounts[index], output.Contains("*** This is a resumed session", StringComparison.Ordinal)))
            .ToArray();
    }

    private static Task<ProcessResult> InvokeAsync(int port, bool resume, bool waitForTicket)
    {
        var arguments = new List<string>
        {
            "--insecure", "-d", "4", "--priority", Priority, "-p", port.ToString(CultureInfo.InvariantCulture),
        };
        if (resume)
        {
            arguments.Add("-r");
        }

        if (waitForTicket)
        {
            arguments.Add("--waitresumption");
        }

        arguments.Add("127.0.0.1");
        return ExternalProgram.RunAsync("gnutls-cli", arguments, OpenSslClient.Request, TimeSpan.FromSeconds(20));
    }

    [GeneratedRegex(@"^\|<2>\| added \d+ protocols, ")]
    private static partial Regex SessionStart();
}
