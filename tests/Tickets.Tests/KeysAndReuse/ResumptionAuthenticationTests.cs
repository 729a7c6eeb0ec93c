using System.Globalization;
using Tickets.Tests.Interop;
using Tickets.Tests.Interop.PostHandshake;

namespace Tickets.Tests.KeysAndReuse;

/// <summary>
/// Resumption past a client-certificate requirement, refused: through real `tickets serve` processes sharing one key file (so each opens the others'
/// tickets) and openssl s_client: a ticket never carries a client past a server that requires a verified client
/// certificate under its own trust anchors. A ticket from a member without --Verify, one issued to an unverified
/// self-signed client, and one issued under other trust anchors all get a full handshake with a CertificateRequest
/// there, while a member (or a restart) with the same settings still resumes.
/// </summary>
[Trait("Category", TestCategory.Interop)]
public sealed class ResumptionAuthenticationTests
{
    private static ClientCertificateFiles Files => ClientCertificateFiles.Instance;

    private static async Task<string> KeyFileAsync(string directory)
    {
        var path = Path.Combine(directory, "fleet.keys");
        var result = await TicketsServer.RunCommandAsync("ticket-keys", "generate", path);
        Assert.True(result.ExitCode == 0, result.Describe());
        return path;
    }

    private static Task<TicketsServer> MemberAsync(string keys, params string[] options) =>
        TicketsServer.StartAsync(["--port", "0", "--www", "--ticket-keys", keys, .. options]);

    [Fact]
    public async Task A_ticket_from_a_member_without_verify_does_not_skip_the_certificate_requirement()
    {
        var directory = InteropPaths.NewDirectory("auth-context-plain");
        var keys = await KeyFileAsync(directory);
        await using var plain = await MemberAsync(keys);
        await using var strict = await MemberAsync(keys, "--Verify", "--ca", Files.CaPem);

        var issued = await AuthenticatingClient.ConnectAsync(plain.Port, directory);
        Assert.False(issued.Reused);
        Assert.NotNull(issued.SavedSession);

        // The attack: no certificate at all, only the ticket from the lenient member.
        var withoutCertificate = await AuthenticatingClient.ConnectAsync(strict.Port, directory, issued.SavedSession);
        Assert.True(withoutCertificate.Offered);
        Assert.False(withoutCertificate.Reused, withoutCertificate.Output.Describe());
        Assert.True(withoutCertificate.CertificateRequested);
        Assert.Matches(@"^conn \d+ \S+ failed alert=certificate_required: ", await strict.NextLineAsync(IsFailure));
        // The log says why the ticket was not taken.
        Assert.Matches(@"^conn \d+ ticket not resumed: identity 0 authentication context differs$", await strict.NextLineAsync(IsRefusedTicket));

        // An honest client offering the same ticket is asked for its certificate and gets in with it.
        var withCertificate = await AuthenticatingClient.ConnectAsync(strict.Port, directory, issued.SavedSession, PhaServer.TrustedClient);
        Assert.Equal((true, false, true), (withCertificate.Offered, withCertificate.Reused, withCertificate.CertificateRequested));
        var line = await strict.NextConnectionAsync();
        Assert.False(line.Resumed);
        Assert.Contains(
            $"client certificate subject=\"{ClientCertificateFiles.ClientSubject}\" verified=yes",
            await strict.NextLineAsync(candidate => candidate.StartsWith($"conn {line.Id} client ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_ticket_issued_to_an_unverified_self_signed_client_does_not_resume_where_verification_is_required()
    {
        var directory = InteropPaths.NewDirectory("auth-context-rogue");
        var keys = await KeyFileAsync(directory);
        await using var asking = await MemberAsync(keys, "--verify", "--ca", Files.CaPem);
        await using var strict = await MemberAsync(keys, "--Verify", "--ca", Files.CaPem);

        var issued = await AuthenticatingClient.ConnectAsync(asking.Port, directory, identity: PhaServer.RogueClient);
        Assert.Equal((false, true), (issued.Reused, issued.CertificateRequested));
        Assert.NotNull(issued.SavedSession);

        var replayed = await AuthenticatingClient.ConnectAsync(strict.Port, directory, issued.SavedSession, PhaServer.RogueClient);
        Assert.True(replayed.Offered);
        Assert.False(replayed.Reused, replayed.Output.Describe());
        Assert.True(replayed.CertificateRequested);
        Assert.Matches(@"^conn \d+ \S+ failed alert=unknown_ca: ", await strict.NextLineAsync(IsFailure));
        Assert.DoesNotContain(strict.Process.OutputLines, output => output.Contains("restored from ticket", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_ticket_resumes_only_under_the_trust_anchors_it_was_issued_under_and_survives_a_restart()
    {
        var directory = InteropPaths.NewDirectory("auth-context-anchors");
        var keys = await KeyFileAsync(directory);
        // The same CA plus one more: a different set of trust anchors, under which the client still verifies.
        var otherAnchors = Path.Combine(directory, "other-anchors.pem");
        File.WriteAllText(otherAnchors, File.ReadAllText(Files.CaPem) + File.ReadAllText(Files.RoguePem));

        string session;
        await using (var first = await MemberAsync(keys, "--Verify", "--ca", Files.CaPem))
        {
            var issued = await AuthenticatingClient.ConnectAsync(first.Port, directory, identity: PhaServer.TrustedClient);
            Assert.Equal((false, true), (issued.Reused, issued.CertificateRequested));
            session = issued.SavedSession!;
            Assert.NotNull(session);
        }

        // Another member, or the same one restarted, with the same settings: the same authentication context.
        await using var sameSettings = await MemberAsync(keys, "--Verify", "--ca", Files.CaPem);
        var resumed = await AuthenticatingClient.ConnectAsync(sameSettings.Port, directory, session);
        Assert.Equal((true, true, false), (resumed.Offered, resumed.Reused, resumed.CertificateRequested));
        Assert.True((await sameSettings.NextConnectionAsync()).Resumed);

        await using var otherSettings = await MemberAsync(keys, "--Verify", "--ca", otherAnchors);
        var full = await AuthenticatingClient.ConnectAsync(otherSettings.Port, directory, session, PhaServer.TrustedClient);
        Assert.Equal((true, false, true), (full.Offered, full.Reused, full.CertificateRequested));
        Assert.False((await otherSettings.NextConnectionAsync()).Resumed);
    }

    private static bool IsRefusedTicket(string line) => line.StartsWith("conn ", StringComparison.Ordinal) && line.Contains(" ticket not resumed: ", StringComparison.Ordinal);

    private static bool IsFailure(string line) => line.StartsWith("conn ", StringComparison.Ordinal) && line.Contains(" failed ", StringComparison.Ordinal);
}

/// <summary>What one s_client run against a `--www` member showed.</summary>
internal sealed record AuthenticatingRun(bool Offered, bool Reused, bool CertificateRequested, string? SavedSession, ProcessResult Output);

/// <summary>
/// openssl s_client -trace with an optional client certificate, offering a saved session. Unlike
/// <see cref="TracedClient"/> it tolerates a failed handshake: the server refusing a client is what some tests expect.
/// </summary>
internal static class AuthenticatingClient
{
    public static async Task<AuthenticatingRun> ConnectAsync(
        int port, string directory, string? sessionIn = null, InteractiveClient.Identity? identity = null)
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

        if (identity is not null)
        {
            arguments.AddRange(["-cert", identity.CertificatePem, "-key", identity.KeyPem]);
        }

        var result = await ExternalProgram.RunAsync("openssl", arguments, Interop.Clients.OpenSslClient.Request, TimeSpan.FromSeconds(20));
        var output = result.StandardOutput;
        return new AuthenticatingRun(
            // The ClientHello's pre_shared_key lists identities; the ServerHello's answer is 2 bytes long.
            Offered: System.Text.RegularExpressions.Regex.Matches(output, @"extension_type=psk\(41\), length=(\d+)")
                .Any(match => int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) > 2),
            Reused: output.Contains("Reused, TLSv1.3", StringComparison.Ordinal),
            CertificateRequested: output.Contains("CertificateRequest, Length=", StringComparison.Ordinal),
            SavedSession: File.Exists(saved) ? saved : null,
            Output: result);
    }
}
