using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Tickets.Tests.Engine;

/// <summary>What one `openssl s_client -msg` run printed.</summary>
internal sealed partial record SClientRun(string Output, int ExitCode)
{
    /// <summary>-msg prints one "<<< TLS 1.3, Handshake [...], NewSessionTicket" line per ticket received.</summary>
    public int NewSessionTickets => ReceivedTicket().Count(Output);

    /// <summary>s_client's session summary says "Reused, TLSv1.3, ..." or "New, TLSv1.3, ...".</summary>
    public bool Reused => Output.Contains("Reused, TLSv1.3", StringComparison.Ordinal);

    public bool NewSession => Output.Contains("New, TLSv1.3", StringComparison.Ordinal);

    [GeneratedRegex(@"^<<< TLS 1\.3, Handshake \[length [0-9a-f]+\], NewSessionTicket", RegexOptions.Multiline)]
    private static partial Regex ReceivedTicket();
}

/// <summary>
/// Runs the real OpenSSL command-line client against a local port. s_client leaves as soon as its
/// standard input ends, possibly before reading tickets; so input stays open until the server's greeting
/// (sent after the tickets) has been printed, then the optional lines are sent and input is closed, which
/// makes s_client send close_notify and exit. A deadline kills a stuck client.
/// </summary>
internal static class OpenSslClient
{
    public static async Task<SClientRun> RunAsync(int port, IEnumerable<string> arguments, string[]? linesAfterGreeting = null, string? waitFor = null)
    {
        var start = new ProcessStartInfo("openssl")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "s_client", "-connect", $"127.0.0.1:{port}", "-servername", "localhost", "-msg" }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start openssl");
        var output = new StringBuilder();
        var greeted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sawExpected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, line) =>
        {
            if (line.Data is null)
            {
                return;
            }

            lock (output)
            {
                output.AppendLine(line.Data);
            }

            if (line.Data.Contains(EngineTestServer.Greeting, StringComparison.Ordinal))
            {
                greeted.TrySetResult();
            }
            else if (waitFor is not null && line.Data.Contains(waitFor, StringComparison.Ordinal))
            {
                sawExpected.TrySetResult();
            }
        };
        process.ErrorDataReceived += (_, line) =>
        {
            if (line.Data is not null)
            {
                lock (output)
                {
                    output.AppendLine(line.Data);
                }
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        try
        {
            // A handshake that fails ends the process without a greeting; either way we move on.
            await Task.WhenAny(greeted.Task, process.WaitForExitAsync(deadline.Token));
            foreach (var line in linesAfterGreeting ?? [])
            {
                await process.StandardInput.WriteLineAsync(line);
                await process.StandardInput.FlushAsync();
                // s_client treats each line it reads as one command or one write; give it its own read.
                await Task.Delay(100);
            }

            if (waitFor is not null)
            {
                await Task.WhenAny(sawExpected.Task, process.WaitForExitAsync(deadline.Token));
            }

            process.StandardInput.Close();
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Assert.Fail($"openssl s_client did not finish in time; output so far:\n{Snapshot(output)}");
        }

        return new SClientRun(Snapshot(output), process.ExitCode);
    }

    private static string Snapshot(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }
}
