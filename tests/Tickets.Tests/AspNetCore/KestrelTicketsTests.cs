using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Tickets.Tests.Interop;
using Tickets.Tests.Interop.Clients;

namespace Tickets.Tests.AspNetCore;

/// <summary>
/// Kestrel secured with <c>listen.UseTickets(...)</c>, in the test process, against real clients: HttpClient over
/// HTTP/1.1 and HTTP/2, curl --http1.1 and --http2, and openssl s_client counting NewSessionTicket messages. The page
/// each client receives is written by an endpoint from the features the middleware set, so it proves what an
/// application sees.
/// </summary>
[Trait("Category", TestCategory.Interop)]
public sealed class KestrelTicketsTests
{
    private static void ThreeTickets(TicketServerOptions options)
    {
        options.ServerCertificate = KestrelTicketsApp.Certificate();
        options.NumTickets = 3;
    }

    [Fact]
    public async Task Openssl_s_client_gets_three_tickets_after_a_full_handshake_then_one_after_resuming()
    {
        await using var app = await KestrelTicketsApp.StartAsync(ThreeTickets);

        var runs = await OpenSslClient.ChainAsync(app.Port, connections: 3);

        Assert.Equal([new ClientConnection(3, false), new ClientConnection(1, true), new ClientConnection(1, true)], runs.Select(run => run.Connection));
        Assert.All(runs, run => Assert.StartsWith("HTTP/1.1 200 OK", run.Page, StringComparison.Ordinal));
        // The endpoint saw the same: through ITicketsConnectionFeature, its connection's tickets and resumption.
        Assert.Equal([3, 1, 1], runs.Select(run => HttpPage.TicketsIssued(run.Page)));
        Assert.Equal([false, true, true], runs.Select(run => HttpPage.SaysResumed(run.Page)));
        Assert.All(runs, run => Assert.Equal("3", HttpPage.Field(run.Page, "Ticket count")));
        app.AssertNoErrors();
    }

    [Fact]
    public async Task An_endpoint_sends_extra_tickets_through_the_tickets_feature()
    {
        await using var app = await KestrelTicketsApp.StartAsync(ThreeTickets);

        var runs = await OpenSslClient.ChainAsync(app.Port, connections: 1, request: "GET /extra/2 HTTP/1.0\r\n\r\n");

        // 3 after the handshake, then the endpoint's 2 before its response; s_client counted every one.
        Assert.Equal(new ClientConnection(5, false), runs[0].Connection);
        Assert.Equal(5, HttpPage.TicketsIssued(runs[0].Page));
    }

    [Theory]
    // HttpClient sends ALPN only when HTTP/2 is allowed; for 1.1 exactly it sends none, and Kestrel speaks HTTP/1.1.
    [InlineData("1.1", "", "HTTP/1.1")]
    [InlineData("2.0", "h2", "HTTP/2")]
    public async Task HttpClient_speaks_the_version_ALPN_chose_and_the_page_shows_the_handshake_features(string version, string alpn, string http)
    {
        await using var app = await KestrelTicketsApp.StartAsync(ThreeTickets);
        using var client = TrustingClient();

        using var request = new HttpRequestMessage(HttpMethod.Get, $"https://localhost:{app.Port}/")
        {
            Version = Version.Parse(version),
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        using var response = await client.SendAsync(request);
        var page = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Version.Parse(version), response.Version);
        Assert.Equal(http, HttpPage.Field(page, "HTTP"));
        Assert.Equal(alpn, HttpPage.Field(page, "ALPN"));
        // ITlsHandshakeFeature: TLS 1.3, a TLS 1.3 suite as TlsCipherSuite, and the SNI HttpClient sent.
        Assert.Equal("Tls13", HttpPage.Field(page, "Protocol"));
        Assert.Matches("^TLS_(AES_128_GCM_SHA256|AES_256_GCM_SHA384|CHACHA20_POLY1305_SHA256)$", HttpPage.Field(page, "Cipher suite"));
        Assert.Equal("localhost", HttpPage.Field(page, "Host name"));
        Assert.Equal("no", HttpPage.Field(page, "Session resumed"));
        Assert.Equal(3, HttpPage.TicketsIssued(page));
        Assert.Equal("(none)", HttpPage.Field(page, "Client certificate"));
        // Kestrel knows the endpoint is secured: it reports https (and the request's scheme is https), and does not
        // warn at start-up that HTTP/2 needs TLS.
        Assert.StartsWith("https://", app.Address, StringComparison.Ordinal);
        Assert.Equal("https", HttpPage.Field(page, "Scheme"));
        Assert.DoesNotContain("HTTP/2 is not enabled", app.LogText(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--http1.1", "HTTP/1.1 200", "http/1.1")]
    [InlineData("--http2", "HTTP/2 200", "h2")]
    public async Task Curl_fetches_the_page_over_the_version_it_asked_for(string option, string statusLine, string alpn)
    {
        await using var app = await KestrelTicketsApp.StartAsync(ThreeTickets);

        var result = await Curl.FetchAsync(app.Port, option);

        var page = result.StandardOutput;
        Assert.StartsWith(statusLine, page, StringComparison.Ordinal);
        Assert.Equal(alpn, HttpPage.Field(page, "ALPN"));
        Assert.Equal("Tls13", HttpPage.Field(page, "Protocol"));
        Assert.Equal(3, HttpPage.TicketsIssued(page));
        app.AssertNoErrors();
    }

    [Fact]
    public async Task An_http1_only_endpoint_offers_only_http_1_1()
    {
        await using var app = await KestrelTicketsApp.StartAsync(ThreeTickets, HttpProtocols.Http1);

        // curl asks for h2 first; the server picks http/1.1, the only protocol it offers.
        var result = await Curl.FetchAsync(app.Port, "--http2");

        Assert.StartsWith("HTTP/1.1 200", result.StandardOutput, StringComparison.Ordinal);
        Assert.Equal("http/1.1", HttpPage.Field(result.StandardOutput, "ALPN"));
    }

    [Fact]
    public async Task A_failed_handshake_closes_that_connection_with_an_alert_and_Kestrel_serves_the_next()
    {
        await using var app = await KestrelTicketsApp.StartAsync(ThreeTickets);

        // A TLS 1.2-only ClientHello: we speak only TLS 1.3, so protocol_version (70), as OpenSSL answers it.
        var result = await ExternalProgram.RunAsync(
            "openssl",
            ["s_client", "-connect", $"127.0.0.1:{app.Port.ToString(CultureInfo.InvariantCulture)}", "-tls1_2"],
            standardInput: "",
            timeout: TimeSpan.FromSeconds(20));
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("alert protocol version", result.StandardError + result.StandardOutput, StringComparison.Ordinal);

        // Garbage instead of a record: the connection is closed, nothing else happens.
        using (var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            await socket.ConnectAsync(IPAddress.Loopback, app.Port);
            await socket.SendAsync("GET / HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray());
            var answer = await ReadUntilClosedAsync(socket, TimeSpan.FromSeconds(10));
            // At most an alert record (content type 21), never an HTTP answer in clear.
            Assert.True(answer.Length == 0 || answer[0] == 21, Convert.ToHexString(answer));
        }

        var fine = await Curl.FetchAsync(app.Port, "--http2");
        Assert.StartsWith("HTTP/2 200", fine.StandardOutput, StringComparison.Ordinal);
        app.AssertNoErrors();
    }

    [Fact]
    public async Task A_client_that_says_nothing_is_dropped_after_the_handshake_timeout()
    {
        await using var app = await KestrelTicketsApp.StartAsync(options =>
        {
            ThreeTickets(options);
            options.HandshakeTimeout = TimeSpan.FromSeconds(1);
        });

        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, app.Port);
        var started = DateTime.UtcNow;
        var answer = await ReadUntilClosedAsync(socket, TimeSpan.FromSeconds(15));

        var waited = DateTime.UtcNow - started;
        Assert.Empty(answer);
        Assert.True(waited >= TimeSpan.FromSeconds(0.9), $"closed after {waited}");
        Assert.True(waited < TimeSpan.FromSeconds(10), $"closed after {waited}\n{app.LogText()}");
        Assert.Contains("TimeoutException", app.LogText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OnConnectionAccepted_sets_this_connections_ticket_count_or_refuses_it()
    {
        var accepted = 0;
        await using var app = await KestrelTicketsApp.StartAsync(options =>
        {
            ThreeTickets(options);
            options.OnConnectionAccepted = connection =>
            {
                // The first connection gets one ticket (≈ SSL_set_num_tickets), the second is refused before TLS.
                switch (Interlocked.Increment(ref accepted))
                {
                    case 1:
                        connection.Connection.SetNumTickets(1);
                        break;
                    case 2:
                        connection.Refuse("the test refuses the second connection");
                        break;
                }
            };
        });

        var first = await OpenSslClient.ChainAsync(app.Port, connections: 1);
        Assert.Equal(new ClientConnection(1, false), first[0].Connection);
        Assert.Equal("1", HttpPage.Field(first[0].Page, "Ticket count"));

        var refused = await ExternalProgram.RunAsync(
            "openssl", ["s_client", "-connect", $"127.0.0.1:{app.Port.ToString(CultureInfo.InvariantCulture)}", "-tls1_3"], standardInput: "", timeout: TimeSpan.FromSeconds(20));
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("the test refuses the second connection", app.LogText(), StringComparison.Ordinal);
    }

    /// <summary>An HttpClient that trusts exactly the test leaf certificate (pinned by its bytes), and nothing else.</summary>
    internal static HttpClient TrustingClient()
    {
        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            certificate is not null && certificate.GetRawCertData().AsSpan().SequenceEqual(TestCertificates.Instance.LeafDer);
        return new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(15) };
    }

    private static async Task<byte[]> ReadUntilClosedAsync(Socket socket, TimeSpan deadline)
    {
        using var timeout = new CancellationTokenSource(deadline);
        var received = new List<byte>();
        var buffer = new byte[4096];
        while (true)
        {
            int read;
            try
            {
                read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            }
            catch (SocketException)
            {
                // A reset is a close too.
                break;
            }

            if (read == 0)
            {
                break;
            }

            received.AddRange(buffer.AsSpan(0, read));
        }

        return [.. received];
    }
}
