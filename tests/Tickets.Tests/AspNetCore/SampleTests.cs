using System.Globalization;
using System.Text.RegularExpressions;
using Tickets.Tests.Interop;
using Tickets.Tests.Interop.Clients;

namespace Tickets.Tests.AspNetCore;

/// <summary>
/// The samples as a user runs them: samples/MinimalApi (UseTickets exactly as the package README writes it) and
/// samples/EchoServer are started from their build output (the test project builds them first) and called with curl
/// and openssl s_client; samples/FSharpScript/ticket-policy.fsx runs under `dotnet fsi`.
/// </summary>
[Trait("Category", TestCategory.Interop)]
public sealed partial class SampleTests
{
    [Fact]
    public async Task MinimalApi_serves_curl_over_http1_and_http2_and_gives_s_client_three_tickets_then_one()
    {
        var port = FreePort.Next();
        await using var server = ServerProcess.Start(
            InteropPaths.DotnetHost, [SamplePaths.Built("MinimalApi"), "--port", port.ToString(CultureInfo.InvariantCulture)]);
        await server.WaitForLineAsync(line => line.Contains($"Now listening on: https://localhost:{port}", StringComparison.Ordinal), TimeSpan.FromSeconds(30));

        var http1 = (await Curl.FetchAsync(port, "--http1.1")).StandardOutput;
        var http2 = (await Curl.FetchAsync(port, "--http2")).StandardOutput;
        var runs = await OpenSslClient.ChainAsync(port, connections: 2);

        Assert.StartsWith("HTTP/1.1 200", http1, StringComparison.Ordinal);
        Assert.Equal("http/1.1", HttpPage.Field(http1, "ALPN"));
        Assert.StartsWith("HTTP/2 200", http2, StringComparison.Ordinal);
        Assert.Equal("h2", HttpPage.Field(http2, "ALPN"));
        Assert.All([http1, http2], page => Assert.Equal(3, HttpPage.TicketsIssued(page)));
        Assert.Equal([new ClientConnection(3, false), new ClientConnection(1, true)], runs.Select(run => run.Connection));
        Assert.Equal([3, 1], runs.Select(run => HttpPage.TicketsIssued(run.Page)));

        // SIGTERM, as a service manager stops it: the host shuts down cleanly.
        Assert.Equal(0, await server.SignalAndWaitAsync(interrupt: false, TimeSpan.FromSeconds(30)));
        Assert.DoesNotContain("fail:", server.DescribeOutput(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EchoServer_echoes_a_line_after_three_tickets_and_resumes_with_one()
    {
        var port = FreePort.Next();
        var target = $"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
        await using var server = ServerProcess.Start(
            InteropPaths.DotnetHost, [SamplePaths.Built("EchoServer"), port.ToString(CultureInfo.InvariantCulture), "3"]);
        await server.WaitForLineAsync(line => line.StartsWith("echo server on", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        var session = Path.Combine(InteropPaths.NewDirectory("echo"), "session.pem");

        var full = await EchoOnceAsync(["s_client", "-connect", target, "-tls1_3", "-msg", "-sess_out", session], "first line");
        var resumed = await EchoOnceAsync(["s_client", "-connect", target, "-tls1_3", "-msg", "-sess_in", session], "second line");

        Assert.Equal(3, OpenSslClient.TicketsIn(full));
        Assert.Contains("New, TLSv1.3", full, StringComparison.Ordinal);
        Assert.Equal(1, OpenSslClient.TicketsIn(resumed));
        Assert.Contains("Reused, TLSv1.3", resumed, StringComparison.Ordinal);
        await server.WaitForLineAsync(line => ConnectionLine().IsMatch(line) && line.EndsWith("resumed, TLS_AES_128_GCM_SHA256, 1 ticket(s)", StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        Assert.Equal(0, await server.SignalAndWaitAsync(interrupt: false, TimeSpan.FromSeconds(30)));
        Assert.Contains("stopped", server.OutputLines);
    }

    [Fact]
    public async Task FSharp_script_prints_the_cores_decisions()
    {
        // The script loads the Release core, as its readers build it; the suite may have been built in another
        // configuration (the README's `dotnet test Tickets.sln` is Debug), so it runs a copy that loads this build's core.
        var script = File.ReadAllText(Path.Combine(SamplePaths.RepositoryRoot, "samples", "FSharpScript", "ticket-policy.fsx"));
        const string releaseCore = "#r \"../../core/Tickets.Core/bin/Release/net10.0/Tickets.Core.dll\"";
        Assert.Contains(releaseCore, script, StringComparison.Ordinal);
        var core = InteropPaths.BuildOutput(Path.Combine("core", "Tickets.Core"), "Tickets.Core");
        var directory = Directory.CreateTempSubdirectory("tickets-fsx-");
        try
        {
            var copy = Path.Combine(directory.FullName, "ticket-policy.fsx");
            File.WriteAllText(copy, script.Replace(releaseCore, $"#r @\"{core}\"", StringComparison.Ordinal));
            var result = await ExternalProgram.RunAsync(
                InteropPaths.DotnetHost,
                ["fsi", copy],
                timeout: TimeSpan.FromSeconds(90),
                workingDirectory: SamplePaths.RepositoryRoot);
            AssertPrintsTheDecisions(result);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static void AssertPrintsTheDecisions(ProcessResult result)
    {
        Assert.True(result.ExitCode == 0, result.Describe());
        var output = result.StandardOutput;
        Assert.Matches(@"connection 1, full handshake: +3 ticket\(s\) \[nonces 0, 1, 2\]", output);
        Assert.Matches(@"connection 1, two extra tickets: +2 ticket\(s\) \[nonces 3, 4\]", output);
        Assert.Matches(@"connection 2, resumption: +1 ticket\(s\) \[nonces 0\]", output);
        Assert.Matches(@"connection 3, count 0, full handshake: +0 ticket\(s\)", output);
        Assert.Contains("connection 1, second handshake: refused", output, StringComparison.Ordinal);
        Assert.Contains("SetNumTickets -1: refused", output, StringComparison.Ordinal);
    }

    /// <summary>
    /// One interactive s_client: sends <paramref name="line"/>, waits for the echo, then ends its input (so it closes),
    /// and returns everything it printed.
    /// </summary>
    private static async Task<string> EchoOnceAsync(string[] arguments, string line)
    {
        await using var client = ServerProcess.Start("openssl", arguments);
        await client.SendLineAsync(line);
        await client.WaitForLineAsync(output => output == line, TimeSpan.FromSeconds(20));
        client.CloseInput();
        Assert.True(await client.WaitForExitAsync(TimeSpan.FromSeconds(20)), client.DescribeOutput());
        return string.Join('\n', client.OutputLines);
    }

    [GeneratedRegex(@"^connection \d+ from ")]
    private static partial Regex ConnectionLine();
}

/// <summary>Where the samples are built: their own output folders, in the configuration the tests were built in.</summary>
internal static class SamplePaths
{
    /// <summary>The repository root, where `dotnet fsi samples/...` runs.</summary>
    public static string RepositoryRoot => InteropPaths.RepositoryRoot;

    /// <summary>samples/NAME/bin/CONFIGURATION/TFM/NAME.dll, which must exist.</summary>
    public static string Built(string name)
    {
        var path = InteropPaths.BuildOutput(Path.Combine("samples", name), name);
        Assert.True(File.Exists(path), $"{path} not built (the test project builds the samples first)");
        return path;
    }
}
