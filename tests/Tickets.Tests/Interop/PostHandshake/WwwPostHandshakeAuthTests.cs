using System.Globalization;
using Tickets.Tests.Interop.Clients;

namespace Tickets.Tests.Interop.PostHandshake;

/// <summary>
/// --www --pha-path: the guarded path asks for a client certificate after the handshake, before it answers, as web
/// servers guard one location with client certificates under TLS 1.3; s_client sends the request and reads the page.
/// </summary>
[Trait("Category", TestCategory.Interop)]
public sealed class WwwPostHandshakeAuthTests
{
    private static async Task<ProcessResult> GetAsync(int port, string path, bool postHandshakeAuth, bool certificate, string? sessionOut = null, string? sessionIn = null)
    {
        var arguments = new List<string>
        {
            "s_client", "-connect", $"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}", "-servername", "localhost",
            "-tls1_3", "-msg", "-ign_eof",
        };
        if (postHandshakeAuth)
        {
            arguments.Add("-enable_pha");
        }

        if (certificate)
        {
            arguments.AddRange(["-cert", PhaServer.Files.ClientPem, "-key", PhaServer.Files.ClientKeyPem]);
        }

        if (sessionOut is not null)
        {
            arguments.AddRange(["-sess_out", sessionOut]);
        }

        if (sessionIn is not null)
        {
            arguments.AddRange(["-sess_in", sessionIn]);
        }

        var result = await ExternalProgram.RunAsync("openssl", arguments, $"GET {path} HTTP/1.0\r\n\r\n", TimeSpan.FromSeconds(20));
        Assert.True(result.ExitCode == 0, result.Describe());
        return result;
    }

    private static int Count(ProcessResult result, string message) =>
        result.StandardOutput.Split('\n').Count(line =>
            line.StartsWith("<<< TLS 1.3, Handshake", StringComparison.Ordinal) && line.TrimEnd().EndsWith(", " + message, StringComparison.Ordinal));

    [Fact]
    public async Task The_guarded_path_names_the_client_and_its_tickets_carry_the_identity_into_resumption()
    {
        await using var server = await PhaServer.StartAsync("--www", "--pha-path", "/secret");
        var session = Path.Combine(InteropPaths.NewDirectory("www-pha"), "session.pem");

        var guarded = await GetAsync(server.Port, "/secret?x=1", postHandshakeAuth: true, certificate: true, sessionOut: session);
        Assert.Contains("HTTP/1.0 200 OK", guarded.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"Client certificate: {ClientCertificateFiles.ClientSubject}\n", guarded.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("Client certificate verification: ok\n", guarded.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(1, Count(guarded, "CertificateRequest"));
        // Two tickets after the handshake, two more after the authentication, all before the page.
        Assert.Equal(4, Count(guarded, "NewSessionTicket"));
        Assert.Contains("Tickets issued on this connection: 4\n", guarded.StandardOutput, StringComparison.Ordinal);

        var resumed = await GetAsync(server.Port, "/", postHandshakeAuth: false, certificate: false, sessionIn: session);
        Assert.Contains("Session resumed: yes\n", resumed.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"Client certificate: {ClientCertificateFiles.ClientSubject}\n", resumed.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(0, Count(resumed, "CertificateRequest"));
    }

    [Fact]
    public async Task Other_paths_ask_for_nothing()
    {
        await using var server = await PhaServer.StartAsync("--www", "--pha-path", "/secret");
        var page = await GetAsync(server.Port, "/", postHandshakeAuth: true, certificate: true);
        Assert.Contains("HTTP/1.0 200 OK", page.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("Client certificate: (none)\n", page.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(0, Count(page, "CertificateRequest"));
        Assert.Equal(2, Count(page, "NewSessionTicket"));
    }

    [Fact]
    public async Task A_client_without_post_handshake_auth_or_without_a_certificate_is_refused()
    {
        await using var server = await PhaServer.StartAsync("--www", "--pha-path", "/secret");
        var unable = await GetAsync(server.Port, "/secret", postHandshakeAuth: false, certificate: true);
        Assert.Contains("HTTP/1.0 403 Forbidden", unable.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("did not offer post-handshake authentication", unable.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(0, Count(unable, "CertificateRequest"));

        var unwilling = await GetAsync(server.Port, "/secret", postHandshakeAuth: true, certificate: false);
        Assert.Contains("HTTP/1.0 403 Forbidden", unwilling.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(1, Count(unwilling, "CertificateRequest"));
        // Declining is still a completed authentication: the count is issued again.
        Assert.Equal(4, Count(unwilling, "NewSessionTicket"));
    }
}
