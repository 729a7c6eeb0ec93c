using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Tickets.Tests.Interop.Clients;

namespace Tickets.Tests.Interop;

/// <summary>The `tickets` process itself: help, version, usage errors, certificates, signals, failure lines.</summary>
[Trait("Category", TestCategory.Interop)]
public sealed class CommandTests
{
    private const string FingerprintPrefix = "tickets: certificate sha256 fingerprint ";

    [Fact]
    public async Task Help_prints_usage_on_stdout_and_exits_0()
    {
        var result = await TicketsServer.RunCommandAsync("--help");
        Assert.True(result.ExitCode == 0, result.Describe());
        Assert.Contains("usage: tickets serve", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("--num-tickets", result.StandardOutput, StringComparison.Ordinal);
        Assert.Equal("", result.StandardError);
    }

    [Fact]
    public void The_cli_reference_reproduces_help_exactly()
    {
        // The documented copy had drifted before (it lacked the fleet flags); this keeps it from drifting again.
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(directory.FullName, "Tickets.sln")))
            directory = directory.Parent ?? throw new InvalidOperationException($"no Tickets.sln above {AppContext.BaseDirectory}");
        var readme = File.ReadAllText(Path.Combine(directory.FullName, "docs", "cli.md")).ReplaceLineEndings("\n");
        const string Opening = "`tickets --help` prints:\n\n```\n";
        var start = readme.IndexOf(Opening, StringComparison.Ordinal);
        Assert.True(start >= 0, "docs/cli.md has no `tickets --help` block");
        start += Opening.Length;
        var end = readme.IndexOf("\n```", start, StringComparison.Ordinal);

        Assert.Equal(Tickets.Cli.Usage.Text.ReplaceLineEndings("\n"), readme[start..end]);
    }

    [Fact]
    public async Task Version_prints_the_name_and_a_version()
    {
        var result = await TicketsServer.RunCommandAsync("--version");
        Assert.True(result.ExitCode == 0, result.Describe());
        Assert.Matches(@"^tickets \d+\.\d+", result.StandardOutput);
    }

    [Theory]
    [InlineData]
    [InlineData("frobnicate")]
    [InlineData("--bogus")]
    [InlineData("serve", "--bogus")]
    [InlineData("serve", "--port")]
    [InlineData("serve", "--port", "70000")]
    [InlineData("serve", "--port", "http")]
    [InlineData("serve", "--num-tickets", "-1")]
    [InlineData("serve", "--num-tickets")]
    [InlineData("serve", "--session-timeout", "-5")]
    [InlineData("serve", "--cert", "only-a-cert.pem")]
    [InlineData("serve", "--www=yes")]
    public async Task Bad_arguments_print_usage_on_stderr_and_exit_2(params string[] arguments)
    {
        var result = await TicketsServer.RunCommandAsync(arguments);
        Assert.True(result.ExitCode == 2, result.Describe());
        Assert.Contains("usage: tickets serve", result.StandardError, StringComparison.Ordinal);
        Assert.Equal("", result.StandardOutput);
    }

    [Fact]
    public async Task Default_certificate_fingerprint_is_printed_matches_the_served_one_and_is_cached()
    {
        // A data home of its own, so this test sees the certificate being created and then reused.
        var dataHome = InteropPaths.NewDirectory("xdg");
        string firstFingerprint;
        await using (var first = await TicketsServer.StartAsync(["--port", "0", "--www"], dataHome: dataHome))
        {
            firstFingerprint = await PrintedFingerprintAsync(first);
            var served = await ServedCertificateAsync(first.Port);
            Assert.Equal(Fingerprint(served.RawData), firstFingerprint);
            Assert.Contains("localhost", served.Subject, StringComparison.Ordinal);
            using var key = served.GetECDsaPublicKey();
            Assert.NotNull(key);
            Assert.Equal(256, key.KeySize);
            Assert.True(File.Exists(Path.Combine(dataHome, "tickets", "default.pfx")));
        }

        await using var second = await TicketsServer.StartAsync(["--port", "0"], dataHome: dataHome);
        var secondFingerprint = await PrintedFingerprintAsync(second);
        Assert.Equal(firstFingerprint, secondFingerprint);
    }

    [Fact]
    public async Task Pem_certificate_with_chain_is_served_leaf_first()
    {
        var certificates = TestCertificates.Instance;
        await using var server = await TicketsServer.StartAsync(["--port", "0", "--www", "--cert", certificates.ChainPem, "--key", certificates.KeyPem]);
        var printed = await PrintedFingerprintAsync(server);
        Assert.Equal(Fingerprint(certificates.LeafDer), printed);

        // -showcerts prints every certificate the server sent, in order.
        var result = await ExternalProgram.RunAsync(
            "openssl",
            ["s_client", "-connect", $"127.0.0.1:{server.Port.ToString(CultureInfo.InvariantCulture)}", "-tls1_3", "-showcerts", "-ign_eof"],
            OpenSslClient.Request,
            TimeSpan.FromSeconds(20));
        Assert.True(result.ExitCode == 0, result.Describe());
        var sent = X509CertificateLoader.LoadCertificate(Convert.FromBase64String(PemBlocks(result.StandardOutput)[0]));
        Assert.Equal(certificates.LeafDer, sent.RawData);
        Assert.Equal(2, PemBlocks(result.StandardOutput).Count);
        Assert.Equal(certificates.CaDer, Convert.FromBase64String(PemBlocks(result.StandardOutput)[1]));
    }

    [Theory]
    [InlineData("300", 300)]
    [InlineData("1000000", 604800)]
    public async Task Session_timeout_sets_the_ticket_lifetime_capped_at_seven_days(string timeout, int lifetime)
    {
        await using var server = await TicketsServer.StartAsync(["--port", "0", "--www", "--session-timeout", timeout]);

        var result = await ExternalProgram.RunAsync(
            "openssl",
            ["s_client", "-connect", $"127.0.0.1:{server.Port.ToString(CultureInfo.InvariantCulture)}", "-tls1_3", "-ign_eof"],
            OpenSslClient.Request,
            TimeSpan.FromSeconds(20));

        Assert.True(result.ExitCode == 0, result.Describe());
        // s_client prints the lifetime of the ticket it holds in its session summary.
        Assert.Contains($"TLS session ticket lifetime hint: {lifetime} (seconds)", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unreadable_certificate_fails_with_exit_1()
    {
        var missing = Path.Combine(InteropPaths.NewDirectory("missing"), "absent.pem");
        var result = await TicketsServer.RunCommandAsync("serve", "--port", "0", "--cert", missing, "--key", missing);
        Assert.True(result.ExitCode == 1, result.Describe());
        Assert.Contains("absent.pem", result.StandardError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_signal_stops_the_server_cleanly_with_exit_0(bool interrupt)
    {
        await using var server = await TicketsServer.StartAsync(["--port", "0"]);
        // An open, idle connection must not keep the server from stopping.
        using var deadline = new CancellationTokenSource(SslStreamClient.Timeout);
        await using var idle = await SslStreamClient.ConnectAsync(server.Port, SslStreamClient.UniqueTargetHost(), deadline.Token);
        await server.NextConnectionAsync();

        var exitCode = await server.Process.SignalAndWaitAsync(interrupt, TimeSpan.FromSeconds(15));

        Assert.True(exitCode == 0, server.Process.DescribeOutput());
        Assert.Contains("tickets: stopped", server.Process.OutputLines);
    }

    [Fact]
    public async Task Closed_standard_input_does_not_stop_the_server()
    {
        await using var server = await TicketsServer.StartAsync(["--port", "0", "--www"], closeStandardInput: true);
        // Give a server that wrongly watched stdin time to notice end-of-input and quit.
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        Assert.False(server.Process.HasExited, server.Process.DescribeOutput());

        var run = await SslStreamClient.FetchPageAsync(server.Port, SslStreamClient.UniqueTargetHost());
        Assert.True(HttpPage.IsOk(run.Page), run.Page);
    }

    [Fact]
    public async Task A_tls12_only_client_is_refused_and_logged_as_one_failure_line()
    {
        await using var server = await TicketsServer.StartAsync(["--port", "0"]);

        var result = await ExternalProgram.RunAsync(
            "openssl",
            ["s_client", "-connect", $"127.0.0.1:{server.Port.ToString(CultureInfo.InvariantCulture)}", "-tls1_2"],
            "",
            TimeSpan.FromSeconds(20));

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("protocol version", result.StandardError + result.StandardOutput, StringComparison.OrdinalIgnoreCase);
        var line = await server.NextLineAsync(l => l.StartsWith("conn ", StringComparison.Ordinal));
        Assert.Matches(@"^conn \d+ 127\.0\.0\.1:\d+ failed alert=protocol_version", line);
    }

    /// <summary>The fingerprint start line, printed before "listening" (so it is searched from the first line).</summary>
    private static async Task<string> PrintedFingerprintAsync(TicketsServer server)
    {
        var (line, _) = await server.Process.WaitForLineAsync(l => l.StartsWith(FingerprintPrefix, StringComparison.Ordinal), TimeSpan.FromSeconds(5));
        return line[FingerprintPrefix.Length..];
    }

    private static string Fingerprint(byte[] der) => string.Join(':', SHA256.HashData(der).Select(b => b.ToString("X2", CultureInfo.InvariantCulture)));

    private static List<string> PemBlocks(string text)
    {
        var blocks = new List<string>();
        const string begin = "-----BEGIN CERTIFICATE-----";
        const string end = "-----END CERTIFICATE-----";
        for (var start = text.IndexOf(begin, StringComparison.Ordinal); start >= 0; start = text.IndexOf(begin, start + 1, StringComparison.Ordinal))
        {
            var stop = text.IndexOf(end, start, StringComparison.Ordinal);
            blocks.Add(string.Concat(text[(start + begin.Length)..stop].Where(c => !char.IsWhiteSpace(c))));
        }

        return blocks;
    }

    private static async Task<X509Certificate2> ServedCertificateAsync(int port)
    {
        using var deadline = new CancellationTokenSource(SslStreamClient.Timeout);
        await using var stream = await SslStreamClient.ConnectAsync(port, SslStreamClient.UniqueTargetHost(), deadline.Token);
        var certificate = stream.RemoteCertificate ?? throw new InvalidOperationException("the server sent no certificate");
        return X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
    }
}
