using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Tickets.Tests.Interop;

namespace Tickets.Tests.Hardening;

/// <summary>
/// Finding 9: a client chooses its certificate's subject, and the server writes that subject into its log and its
/// trace. A subject holding a newline (and a quote) must not forge a line or a field there: one escaping function,
/// <see cref="PeerText.Escape(string)"/>, is applied to every peer-controlled string that is logged.
/// </summary>
[Trait("Category", TestCategory.Interop)]
public sealed class LogInjectionTests
{
    /// <summary>What the attacker wants the log to say: a forged connection line, after a closed quote.</summary>
    private const string ForgedLine = "conn 77 10.0.0.1:4242 full TLS_AES_128_GCM_SHA256 x25519 tickets=2";

    [Fact]
    public async Task A_newline_in_a_client_subject_forges_no_log_or_trace_line()
    {
        var (certificate, key) = WriteClientCertificate($"mallory\" verified=yes result=\"ok\n{ForgedLine}");
        await using var server = await TicketsServer.StartAsync(["--port", "0", "--verify", "--trace"]);

        var run = await ExternalProgram.RunAsync("openssl",
            ["s_client", "-connect", $"127.0.0.1:{server.Port.ToString(CultureInfo.InvariantCulture)}", "-tls1_3",
             "-cert", certificate, "-key", key],
            "ping\n", TimeSpan.FromSeconds(20));
        Assert.Contains("TLSv1.3", run.StandardOutput, StringComparison.Ordinal);

        var connection = await server.NextConnectionAsync();
        var client = await server.NextLineAsync(line => line.StartsWith($"conn {connection.Id} client ", StringComparison.Ordinal));

        // The subject stays inside its one quoted field, escaped; the verdict the server reached is the only one.
        Assert.Contains(@"\n" + ForgedLine, client, StringComparison.Ordinal);
        Assert.Matches(@"^conn \d+ client certificate subject=""(?:[^""\\]|\\.)*"" verified=no result=""[^""\\]*""$", client);

        // Nothing the server printed, log or trace, starts with the forged text.
        Assert.DoesNotContain(server.Process.OutputLines, line => line.StartsWith("conn 77 ", StringComparison.Ordinal) || line.Contains("| " + ForgedLine, StringComparison.Ordinal));
        Assert.Contains(server.Process.OutputLines, line => line.Contains("subject CN=", StringComparison.Ordinal) && line.Contains(@"\n" + ForgedLine, StringComparison.Ordinal));
    }

    [Fact]
    public void Escape_leaves_plain_text_alone_and_makes_everything_else_visible_and_reversible()
    {
        Assert.Equal("CN=alice, O=Example", PeerText.Escape("CN=alice, O=Example"));
        Assert.Equal(@"a\nb\rc\td\\n\""\x1b[31m\x7f\xfc\u2028", PeerText.Escape("a\nb\rc\td\\n\"\u001b[31m\u007f\u00fc\u2028"));
        Assert.Equal(@"h2\x00\xff", PeerText.Escape([(byte)'h', (byte)'2', 0, 0xff]));
        Assert.Equal(string.Empty, PeerText.Escape((string?)null));
    }

    /// <summary>A self-signed client certificate whose common name is <paramref name="commonName"/>, as PEM files.</summary>
    private static (string Certificate, string Key) WriteClientCertificate(string commonName)
    {
        var directory = InteropPaths.NewDirectory("log-injection");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var subject = new X500DistinguishedNameBuilder();
        subject.AddCommonName(commonName);
        var request = new CertificateRequest(subject.Build(), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));
        var certificatePath = Path.Combine(directory, "client.pem");
        var keyPath = Path.Combine(directory, "client-key.pem");
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem() + "\n");
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem() + "\n");
        return (certificatePath, keyPath);
    }
}
