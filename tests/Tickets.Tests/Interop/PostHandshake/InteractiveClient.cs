using System.Diagnostics;
using System.Globalization;

namespace Tickets.Tests.Interop.PostHandshake;

/// <summary>
/// A real TLS client kept running with its standard input open (a pipe the test writes to), whose output is read as
/// it arrives, so a test can count tickets before and after asking the server for something. Disposing kills it if
/// it is still running, so no client outlives its test.
/// </summary>
public sealed class InteractiveClient : IAsyncDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);

    private readonly ServerProcess process;
    private readonly Kind kind;

    private InteractiveClient(ServerProcess process, Kind kind)
    {
        this.process = process;
        this.kind = kind;
    }

    public enum Kind
    {
        OpenSsl,
        GnuTls,
    }

    /// <summary>Where a client's certificate comes from; null fields mean none is configured.</summary>
    public sealed record Identity(string CertificatePem, string KeyPem);

    /// <summary>
    /// `openssl s_client -tls1_3 -msg`, with -enable_pha when <paramref name="postHandshakeAuth"/>: -msg prints a line
    /// per handshake message in both directions, so tickets and certificate requests are counted exactly.
    /// </summary>
    public static InteractiveClient OpenSsl(
        int port, bool postHandshakeAuth, Identity? identity, string? sessionOut = null, string? sessionIn = null)
    {
        var arguments = new List<string>
        {
            "s_client", "-connect", $"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}", "-servername", "localhost",
            "-tls1_3", "-msg",
        };
        if (postHandshakeAuth)
        {
            arguments.Add("-enable_pha");
        }

        if (identity is not null)
        {
            arguments.AddRange(["-cert", identity.CertificatePem, "-key", identity.KeyPem]);
        }

        if (sessionOut is not null)
        {
            arguments.AddRange(["-sess_out", sessionOut]);
        }

        if (sessionIn is not null)
        {
            arguments.AddRange(["-sess_in", sessionIn]);
        }

        return new InteractiveClient(ServerProcess.Start("openssl", arguments), Kind.OpenSsl);
    }

    /// <summary>
    /// gnutls-cli 3.7 with --post-handshake-auth: at "-d 4" it logs every handshake message it receives on standard
    /// error; it answers a post-handshake CertificateRequest with --x509certfile/--x509keyfile on its own.
    /// </summary>
    public static InteractiveClient GnuTls(int port, bool postHandshakeAuth, Identity? identity)
    {
        var arguments = new List<string>
        {
            "--insecure", "-d", "4", "--priority", "NORMAL:-VERS-ALL:+VERS-TLS1.3", "-p", port.ToString(CultureInfo.InvariantCulture),
        };
        if (postHandshakeAuth)
        {
            arguments.Add("--post-handshake-auth");
        }

        if (identity is not null)
        {
            arguments.AddRange(["--x509certfile", identity.CertificatePem, "--x509keyfile", identity.KeyPem]);
        }

        arguments.Add("127.0.0.1");
        return new InteractiveClient(ServerProcess.Start("gnutls-cli", arguments), Kind.GnuTls);
    }

    /// <summary>NewSessionTicket messages received so far.</summary>
    public int Tickets => Count(kind == Kind.OpenSsl
        ? line => IsReceivedHandshake(line, "NewSessionTicket")
        : line => line.Contains("NEW SESSION TICKET (4) was received", StringComparison.Ordinal));

    /// <summary>CertificateRequest messages received so far.</summary>
    public int CertificateRequests => Count(kind == Kind.OpenSsl
        ? line => IsReceivedHandshake(line, "CertificateRequest")
        : line => line.Contains("CERTIFICATE REQUEST (13) was received", StringComparison.Ordinal));

    /// <summary>s_client's session summary: "Reused, TLSv1.3" for a resumed session.</summary>
    public bool Resumed => process.OutputLines.Any(line => line.StartsWith("Reused, TLSv1.3", StringComparison.Ordinal));

    public string Output => process.DescribeOutput();

    /// <summary>
    /// Waits until exactly <paramref name="expected"/> tickets have arrived: until the count reaches it, then a moment
    /// longer to catch any surplus (tickets of one flight arrive together, so a surplus would be there by then).
    /// </summary>
    public async Task ExpectTicketsAsync(int expected, string because)
    {
        await UntilAsync(() => Tickets >= expected, $"{expected} tickets ({because})");
        await Task.Delay(250);
        Assert.True(Tickets == expected, $"expected {expected} tickets ({because}), saw {Tickets}\n{Output}");
    }

    public Task ExpectCertificateRequestsAsync(int expected) =>
        UntilAsync(() => CertificateRequests >= expected, $"{expected} CertificateRequest(s)");

    /// <summary>Waits for the handshake to be over on the client's side (its summary, or gnutls-cli's completion line).</summary>
    public Task ExpectHandshakeAsync() =>
        UntilAsync(
            () => process.OutputLines.Any(line =>
                line.StartsWith("New, TLSv1.3", StringComparison.Ordinal)
                || line.StartsWith("Reused, TLSv1.3", StringComparison.Ordinal)
                || line.Contains("Handshake was completed", StringComparison.Ordinal)),
            "the handshake");

    /// <summary>Waits for a line of standard output equal to <paramref name="text"/> (echoed data).</summary>
    public Task ExpectOutputLineAsync(string text) =>
        UntilAsync(() => process.OutputLines.Any(line => line.Trim() == text), $"the line '{text}'");

    public Task SendLineAsync(string line) => process.SendLineAsync(line);

    /// <summary>Ends standard input, which makes both clients close the connection and exit.</summary>
    public async Task CloseAsync()
    {
        process.CloseInput();
        Assert.True(await process.WaitForExitAsync(Deadline), $"the client did not exit after its input ended\n{Output}");
    }

    public ValueTask DisposeAsync() => process.DisposeAsync();

    private static bool IsReceivedHandshake(string line, string message) =>
        line.StartsWith("<<< TLS 1.3, Handshake", StringComparison.Ordinal) && line.TrimEnd().EndsWith(", " + message, StringComparison.Ordinal);

    private int Count(Func<string, bool> match) =>
        (kind == Kind.OpenSsl ? process.OutputLines : process.ErrorLines).Count(match);

    private async Task UntilAsync(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > Deadline)
            {
                throw new TimeoutException($"the client did not show {what} within {Deadline}\n{Output}");
            }

            await Task.Delay(25);
        }
    }
}
