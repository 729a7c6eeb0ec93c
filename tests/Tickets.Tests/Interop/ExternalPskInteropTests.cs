using Tickets.Tests.Interop.Clients;
using Tickets.Tests.Interop.PostHandshake;

namespace Tickets.Tests.Interop;

/// <summary>
/// External PSKs with real clients, each scenario against `tickets serve --psk` and against `openssl s_server -psk`
/// (OpenSSL 3.0, the reference): the same assertions on both, except where the two differ on purpose (the alert for a
/// wrong key). s_client speaks psk_dhe_ke; gnutls-cli speaks psk_dhe_ke (+ECDHE-PSK, +DHE-PSK) and psk_ke (+PSK).
/// </summary>
[Trait("Category", TestCategory.Interop)]
public sealed class ExternalPskInteropTests
{
    public static TheoryData<ServerKind> Servers => new() { ServerKind.Tickets, ServerKind.OpenSslReference };

    public static TheoryData<ServerKind, int?> ServersAndCounts
    {
        get
        {
            var data = new TheoryData<ServerKind, int?>();
            foreach (var kind in new[] { ServerKind.Tickets, ServerKind.OpenSslReference })
            {
                foreach (var count in new int?[] { null, 0, 3 })
                {
                    data.Add(kind, count);
                }
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(ServersAndCounts))]
    public async Task S_client_psk_is_a_psk_handshake_with_at_most_one_ticket_and_that_ticket_resumes(ServerKind kind, int? count)
    {
        await using var server = await PskServer.StartAsync(kind, count);
        var directory = InteropPaths.NewDirectory("psk-s_client");
        var saved = Path.Combine(directory, "session.pem");

        var first = await OpenSslPskClient.ConnectAsync(server.Port, PskServer.Identity, PskServer.Key, sessionOut: saved);

        Assert.True(first.Completed && first.PskUsed, first.Output.Describe());
        Assert.False(first.CertificateRequested);
        Assert.True(HttpPage.SaysResumed(first.Page));
        // OpenSSL 3.0 counts an external PSK handshake as a resumption: min(1, count) tickets.
        var expected = (count ?? TicketExpectation.OpenSslDefault) == 0 ? 0 : 1;
        Assert.Equal(expected, first.Tickets);
        Assert.Equal(expected > 0, File.Exists(saved));
        if (server is TicketsServer tickets)
        {
            var logged = await tickets.NextConnectionAsync();
            Assert.Equal(new ClientConnection(expected, Resumed: true), new ClientConnection(logged.Tickets, logged.Resumed));
            await tickets.NextLineAsync(line => line == $"conn {logged.Id} client external PSK identity=\"{PskServer.Identity}\"");
            Assert.Equal($"{PskServer.Identity}", HttpPage.Field(first.Page, "Client PSK identity"));
        }

        if (expected == 0)
        {
            return;
        }

        // The ticket alone, without -psk: it resumes, with one ticket again.
        var second = await OpenSslPskClient.ConnectAsync(server.Port, identity: null, key: null, sessionIn: saved);

        Assert.True(second.Completed && second.PskUsed, second.Output.Describe());
        Assert.Equal(1, second.Tickets);
        if (server is TicketsServer again)
        {
            var logged = await again.NextConnectionAsync();
            Assert.True(logged.Resumed);
            // The session the ticket carries is the PSK holder's: the identity comes back with it.
            await again.NextLineAsync(line => line == $"conn {logged.Id} client restored from ticket external PSK identity=\"{PskServer.Identity}\"");
            Assert.Equal("ticket", HttpPage.Field(second.Page, "PSK"));
        }
    }

    [Theory]
    [MemberData(nameof(Servers))]
    public async Task An_unknown_identity_gets_a_full_handshake_and_the_full_count(ServerKind kind)
    {
        await using var server = await PskServer.StartAsync(kind, numTickets: 3);

        var run = await OpenSslPskClient.ConnectAsync(server.Port, "somebody else", PskServer.Key);

        Assert.True(run.Completed, run.Output.Describe());
        Assert.False(run.PskUsed);
        Assert.False(HttpPage.SaysResumed(run.Page));
        Assert.Equal(3, run.Tickets);
    }

    [Theory]
    [MemberData(nameof(Servers))]
    public async Task A_wrong_key_is_refused_when_its_binder_does_not_verify(ServerKind kind)
    {
        await using var server = await PskServer.StartAsync(kind);

        var run = await OpenSslPskClient.ConnectAsync(server.Port, PskServer.Identity, new string('1', 64));

        Assert.False(run.Completed, run.Output.Describe());
        // RFC 8446 §6.2 names decrypt_error for a binder that does not validate; OpenSSL 3.0 sends illegal_parameter.
        Assert.Equal(kind == ServerKind.Tickets ? "decrypt_error" : "illegal_parameter", run.Alert);
    }

    [Theory]
    [MemberData(nameof(Servers))]
    public async Task Where_client_certificates_are_required_the_psk_stands_in_for_one(ServerKind kind)
    {
        await using var server = await PskServer.StartAsync(kind, requireClientCertificates: true);
        var clients = ClientCertificateFiles.Instance;

        var withoutCertificate = await OpenSslPskClient.ConnectAsync(server.Port, PskServer.Identity, PskServer.Key);
        var withCertificate = await OpenSslPskClient.ConnectAsync(
            server.Port, PskServer.Identity, PskServer.Key, extra: ["-cert", clients.ClientPem, "-key", clients.ClientKeyPem]);
        var unknown = await OpenSslPskClient.ConnectAsync(server.Port, "somebody else", PskServer.Key);

        // RFC 8446 §4.3.2: a server authenticating with a PSK sends no CertificateRequest in the handshake.
        Assert.True(withoutCertificate.Completed && withoutCertificate.PskUsed, withoutCertificate.Output.Describe());
        Assert.False(withoutCertificate.CertificateRequested);
        Assert.True(withCertificate.Completed && withCertificate.PskUsed, withCertificate.Output.Describe());
        Assert.False(withCertificate.CertificateRequested);
        // Without the PSK the full handshake asks for a certificate, and the client has none.
        Assert.True(unknown.CertificateRequested, unknown.Output.Describe());
        Assert.False(unknown.Completed);
        Assert.Equal("certificate_required", unknown.Alert);
    }

    [Theory]
    [InlineData(ServerKind.Tickets, "+ECDHE-PSK")]
    [InlineData(ServerKind.OpenSslReference, "+ECDHE-PSK")]
    [InlineData(ServerKind.Tickets, "+DHE-PSK")]
    [InlineData(ServerKind.OpenSslReference, "+DHE-PSK")]
    public async Task Gnutls_psk_dhe_ke_is_a_psk_handshake_with_a_key_exchange_and_one_ticket(ServerKind kind, string keyExchanges)
    {
        await using var server = await PskServer.StartAsync(kind);

        var run = await GnuTlsPskClient.ConnectAsync(server.Port, PskServer.Identity, PskServer.Key, keyExchanges);

        Assert.True(run.Completed && run.PskUsed && run.KeyExchange, run.Output.Describe());
        Assert.True(HttpPage.SaysResumed(run.Page));
        Assert.Equal(1, run.Tickets);
    }

    [Theory]
    [MemberData(nameof(Servers))]
    public async Task Gnutls_psk_ke_gets_a_certificate_handshake_unless_the_server_allows_psk_ke(ServerKind kind)
    {
        await using (var strict = await PskServer.StartAsync(kind))
        {
            var refused = await GnuTlsPskClient.ConnectAsync(strict.Port, PskServer.Identity, PskServer.Key, "+PSK");

            // gnutls also sent a key share and accepts the certificate (--insecure): a full handshake.
            Assert.True(refused.Completed, refused.Output.Describe());
            Assert.False(refused.PskUsed);
            Assert.Equal(2, refused.Tickets);
        }

        await using var allowing = await PskServer.StartAsync(kind, allowPskKe: true);
        var allowed = await GnuTlsPskClient.ConnectAsync(allowing.Port, PskServer.Identity, PskServer.Key, "+PSK");
        var both = await GnuTlsPskClient.ConnectAsync(allowing.Port, PskServer.Identity, PskServer.Key, "+PSK:+ECDHE-PSK");

        Assert.True(allowed.Completed && allowed.PskUsed, allowed.Output.Describe());
        Assert.False(allowed.KeyExchange, "psk_ke: no key share in ServerHello");
        Assert.Equal(1, allowed.Tickets);
        // Offered both (psk_ke listed first), the server still prefers psk_dhe_ke, as OpenSSL 3.0 does.
        Assert.True(both.Completed && both.PskUsed && both.KeyExchange, both.Output.Describe());
        if (kind == ServerKind.Tickets)
        {
            Assert.Equal("(none)", HttpPage.Field(allowed.Page, "Group"));
        }
    }
}
