using System.Text;
using Tickets;
using Tickets.Core.Protocol;

namespace Tickets.Tests.Engine;

/// <summary>
/// The real `openssl s_client` (OpenSSL 3.0) against the in-process server: ticket counts on full and
/// resumed handshakes, resumption with the saved session, and fallbacks for tickets we must not accept.
/// </summary>
[Trait("Category", TestCategory.Interop)]
public sealed class OpenSslClientTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("tickets-engine-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private string SessionFile(string name) => Path.Combine(directory, name);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(10)]
    public async Task Full_handshake_gets_count_tickets_and_resumption_gets_at_most_one(int count)
    {
        await using var server = new EngineTestServer(numTickets: count);
        var session = SessionFile("session.pem");

        var full = await OpenSslClient.RunAsync(server.Port, ["-tls1_3", "-sess_out", session]);
        Assert.True(full.NewSession, full.Output);
        Assert.Equal(count, full.NewSessionTickets);

        if (count == 0)
        {
            // Without a ticket there is nothing to resume: s_client saves a session that cannot be reused.
            var again = await OpenSslClient.RunAsync(server.Port, ["-tls1_3", "-sess_in", session]);
            Assert.False(again.Reused, again.Output);
            Assert.Equal(0, again.NewSessionTickets);
            return;
        }

        var resumed = await OpenSslClient.RunAsync(server.Port, ["-tls1_3", "-sess_in", session, "-sess_out", session]);
        Assert.True(resumed.Reused, resumed.Output);
        Assert.Equal(1, resumed.NewSessionTickets);

        // The ticket from the resumed connection resumes once more.
        var twice = await OpenSslClient.RunAsync(server.Port, ["-tls1_3", "-sess_in", session]);
        Assert.True(twice.Reused, twice.Output);

        var served = await server.WaitForServedAsync(3);
        Assert.Equal([false, true, true], served.Select(s => s.Resumed));
        Assert.Equal([count, 1, 1], served.Select(s => s.Tickets));
    }

    [Fact]
    public async Task Tampered_ticket_falls_back_to_a_full_handshake()
    {
        await using var server = new EngineTestServer(numTickets: 2);
        var session = SessionFile("session.pem");
        await OpenSslClient.RunAsync(server.Port, ["-tls1_3", "-sess_out", session]);

        var tampered = SessionFile("tampered.pem");
        File.WriteAllText(tampered, FlipTicketByte(File.ReadAllText(session), server.Context));

        var run = await OpenSslClient.RunAsync(server.Port, ["-tls1_3", "-sess_in", tampered]);
        Assert.True(run.NewSession, run.Output);
        Assert.False(run.Reused);
        Assert.Equal(2, run.NewSessionTickets);
        Assert.Contains(EngineTestServer.Greeting, run.Output);
    }

    [Fact]
    public async Task Ticket_from_another_server_context_falls_back_to_a_full_handshake()
    {
        await using var first = new EngineTestServer(numTickets: 1);
        await using var second = new EngineTestServer(numTickets: 3);
        var session = SessionFile("session.pem");
        await OpenSslClient.RunAsync(first.Port, ["-tls1_3", "-sess_out", session]);

        var run = await OpenSslClient.RunAsync(second.Port, ["-tls1_3", "-sess_in", session]);
        Assert.True(run.NewSession, run.Output);
        Assert.Equal(3, run.NewSessionTickets);
    }

    [Fact]
    public async Task Expired_ticket_falls_back_to_a_full_handshake()
    {
        await using var server = new EngineTestServer(numTickets: 1);
        server.Context.SessionTimeoutSeconds = 1;
        var session = SessionFile("session.pem");
        await OpenSslClient.RunAsync(server.Port, ["-tls1_3", "-sess_out", session]);
        await Task.Delay(TimeSpan.FromMilliseconds(2100));

        var run = await OpenSslClient.RunAsync(server.Port, ["-tls1_3", "-sess_in", session]);
        Assert.False(run.Reused, run.Output);
        Assert.Equal(1, run.NewSessionTickets);
    }

    [Theory]
    [InlineData("TLS_AES_128_GCM_SHA256")]
    [InlineData("TLS_AES_256_GCM_SHA384")]
    [InlineData("TLS_CHACHA20_POLY1305_SHA256")]
    public async Task Each_cipher_suite_handshakes_and_resumes(string suite)
    {
        await using var server = new EngineTestServer(numTickets: 1);
        var session = SessionFile("session.pem");
        var full = await OpenSslClient.RunAsync(server.Port, ["-tls1_3", "-ciphersuites", suite, "-sess_out", session]);
        Assert.Contains($"Cipher is {suite}", full.Output);
        var resumed = await OpenSslClient.RunAsync(server.Port, ["-tls1_3", "-ciphersuites", suite, "-sess_in", session]);
        Assert.True(resumed.Reused, resumed.Output);

        var served = await server.WaitForServedAsync(2);
        Assert.All(served, s => Assert.Equal(suite, s.CipherSuite));
    }

    [Theory]
    [InlineData("X25519", "x25519")]
    [InlineData("P-256", "secp256r1")]
    [InlineData("P-384", "secp384r1")]
    public async Task Each_group_is_used_when_offered(string clientGroups, string expected)
    {
        await using var server = new EngineTestServer();
        var run = await OpenSslClient.RunAsync(server.Port, ["-tls1_3", "-groups", clientGroups]);
        Assert.Contains(EngineTestServer.Greeting, run.Output);
        Assert.Equal(expected, Assert.Single(await server.WaitForServedAsync(1)).Group);
    }

    [Fact]
    public async Task Unusable_key_share_gets_a_hello_retry_request()
    {
        // s_client sends a share only for its first group (x25519); this server takes P-256 and x448 only, so it asks for
        // P-256, the one of them the client lists.
        var context = new TicketServerContext(TestCertificates.EcdsaP256) { Groups = [NamedGroup.x448, NamedGroup.secp256r1] };
        await using var server = new EngineTestServer(numTickets: 1, context: context);
        var session = SessionFile("session.pem");
        var run = await OpenSslClient.RunAsync(server.Port, ["-tls1_3", "-groups", "X25519:P-256", "-sess_out", session]);
        // -msg shows a HelloRetryRequest as a ServerHello; its random is the fixed SHA-256 of "HelloRetryRequest".
        Assert.Contains("02 00 00 54 03 03 cf 21 ad 74 e5 9a 61 11 be 1d", run.Output);
        Assert.True(run.Output.Contains(EngineTestServer.Greeting), string.Join("\n", server.Log));
        Assert.Contains(EngineTestServer.Greeting, run.Output);
        Assert.Equal(1, run.NewSessionTickets);

        // Resumption after a HelloRetryRequest: the binder covers message_hash + HelloRetryRequest + ClientHello.
        var resumed = await OpenSslClient.RunAsync(server.Port, ["-tls1_3", "-groups", "X25519:P-256", "-sess_in", session]);
        Assert.True(resumed.Reused, resumed.Output);

        var served = await server.WaitForServedAsync(2);
        Assert.All(served, s => Assert.Equal("secp256r1", s.Group));
    }

    [Fact]
    public async Task Key_update_requested_by_the_client_is_answered_and_data_still_flows()
    {
        await using var server = new EngineTestServer();
        // "K" asks s_client to send KeyUpdate(update_requested); the echo of the next line proves both new keys work.
        var run = await OpenSslClient.RunAsync(server.Port, ["-tls1_3"], ["K", "after-key-update"], waitFor: "after-key-update");
        Assert.Contains("KEYUPDATE", run.Output);
        Assert.Matches(@"<<< TLS 1\.3, Handshake \[length 0005\], KeyUpdate", run.Output);
        Assert.Contains("after-key-update", run.Output);
    }

    [Fact]
    public async Task Tls12_only_client_gets_protocol_version_alert()
    {
        await using var server = new EngineTestServer();
        var run = await OpenSslClient.RunAsync(server.Port, ["-tls1_2"]);
        Assert.Contains("protocol version", run.Output);
        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains(await server.WaitForLogAsync(1), line => line.Contains("ProtocolVersion"));
    }

    /// <summary>
    /// Flips one ciphertext byte of the ticket inside s_client's PEM session file. Our tickets start with
    /// the 16-byte key name, which locates the ticket inside the DER session.
    /// </summary>
    private static string FlipTicketByte(string pem, TicketServerContext context)
    {
        const string begin = "-----BEGIN SSL SESSION PARAMETERS-----";
        const string end = "-----END SSL SESSION PARAMETERS-----";
        var body = pem[(pem.IndexOf(begin, StringComparison.Ordinal) + begin.Length)..pem.IndexOf(end, StringComparison.Ordinal)];
        var der = Convert.FromBase64String(body.Replace("\n", string.Empty).Replace("\r", string.Empty));
        var name = context.TicketKeys().CurrentKeyName;
        var at = der.AsSpan().IndexOf(name);
        Assert.True(at >= 0, "the session file does not hold one of our tickets");
        der[at + name.Length + 20] ^= 0x01;
        return $"{begin}\n{Convert.ToBase64String(der, Base64FormattingOptions.InsertLineBreaks)}\n{end}\n";
    }
}
