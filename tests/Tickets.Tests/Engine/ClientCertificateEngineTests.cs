using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Tickets.Core.Model;
using Tickets;

namespace Tickets.Tests.Engine;

/// <summary>
/// Client certificates in the handshake, in process, with .NET's SslStream as the client: what the connection learns
/// (PeerIdentity) under ClientCertificateMode.Request and Require, and the API's refusals around post-handshake
/// authentication and extra tickets.
/// </summary>
[Trait("Category", TestCategory.Unit)]
public sealed class ClientCertificateEngineTests
{
    private static readonly Lazy<(X509Certificate2 Ca, X509Certificate2 Client, X509Certificate2 Rogue)> Certificates = new(Create);

    private static X509Certificate2 Ca => Certificates.Value.Ca;

    private static X509Certificate2 Client => Certificates.Value.Client;

    private static X509Certificate2 Rogue => Certificates.Value.Rogue;

    private static (X509Certificate2, X509Certificate2, X509Certificate2) Create()
    {
        var now = DateTimeOffset.UtcNow;
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=engine client CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        var ca = caRequest.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));

        var clientKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var issued = new CertificateRequest("CN=engine client", clientKey, HashAlgorithmName.SHA256)
            .Create(ca, now.AddMinutes(-5), now.AddDays(1), RandomNumberGenerator.GetBytes(8));
        var client = issued.CopyWithPrivateKey(clientKey);

        var rogueKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var rogue = new CertificateRequest("CN=engine rogue", rogueKey, HashAlgorithmName.SHA256).CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));
        return (X509CertificateLoader.LoadCertificate(ca.RawData), client, rogue);
    }

    /// <summary>A server that records each connection and answers a line per command the client sends.</summary>
    private sealed class Server : IAsyncDisposable
    {
        private readonly CancellationTokenSource stop = new();
        private readonly Task running;

        public Server(ClientCertificateMode mode)
        {
            Context = new TicketServerContext(TestCertificates.EcdsaP256)
            {
                ClientCertificateMode = mode,
                ClientCertificateAuthorities = [Ca],
            };
            Context.HandshakeTimeout = TimeSpan.FromSeconds(5);
            Context.OnConnectionAccepted = accepted =>
                accepted.Connection.HandshakeFailed += (_, error) => Log.Enqueue($"conn {accepted.Connection.Id} handshake failed: {error.Message}");
            Listener = new TicketServer(new IPEndPoint(IPAddress.Loopback, 0), Context);
            running = Listener.RunAsync(ServeAsync, stop.Token);
        }

        public TicketServerContext Context { get; }

        public TicketServer Listener { get; }

        public ConcurrentQueue<string> Log { get; } = new();

        public ConcurrentQueue<TicketServerConnection> Connections { get; } = new();

        public ConcurrentQueue<string> Answers { get; } = new();

        private async Task ServeAsync(TicketServerConnection connection, CancellationToken cancellationToken)
        {
            Connections.Enqueue(connection);
            var reader = new StreamReader(connection.GetStream(), Encoding.ASCII);
            string? line;
            while ((line = await reader.ReadLineAsync(cancellationToken)) is not null)
            {
                var answer = line switch
                {
                    "who" => connection.PeerIdentity is { } peer ? $"{peer.Subject} verified={peer.Verified} {peer.VerificationResult}" : "nobody",
                    "extra" => await Try(async () => $"extra {(await connection.SendExtraTicketsAsync(3, cancellationToken)).Count} total {connection.IssuedTickets.Count}"),
                    _ => "?",
                };
                Answers.Enqueue(answer);
                await connection.WriteAsync(Encoding.ASCII.GetBytes(answer + "\n"), cancellationToken);
            }

            await connection.ShutdownAsync();
        }

        private static async Task<string> Try(Func<Task<string>> action)
        {
            try
            {
                return await action();
            }
            catch (InvalidOperationException error)
            {
                return $"refused: {error.Message}";
            }
        }

        public async ValueTask DisposeAsync()
        {
            await stop.CancelAsync();
            await running.WaitAsync(TimeSpan.FromSeconds(10));
            stop.Dispose();
            Context.Dispose();
        }
    }

    private static async Task<(TcpClient Tcp, SslStream Tls, StreamReader Reader)> ConnectAsync(Server server, X509Certificate2? certificate)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, server.Listener.LocalEndPoint.Port);
        var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false, (_, _, _, _) => true);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            EnabledSslProtocols = SslProtocols.Tls13,
            ClientCertificates = certificate is null ? null : [certificate],
            LocalCertificateSelectionCallback = (_, _, _, _, _) => certificate!,
        });
        return (tcp, tls, new StreamReader(tls, Encoding.ASCII));
    }

    private static async Task<string?> AskAsync(SslStream tls, StreamReader reader, string command)
    {
        await tls.WriteAsync(Encoding.ASCII.GetBytes(command + "\n"));
        return await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Require_accepts_a_trusted_client_and_keeps_its_identity()
    {
        await using var server = new Server(ClientCertificateMode.Require);
        var (tcp, tls, reader) = await ConnectAsync(server, Client);
        using (tcp)
        await using (tls)
        {
            Assert.Equal("CN=engine client verified=True ok", await AskAsync(tls, reader, "who"));
            var connection = Assert.Single(server.Connections);
            var peer = Assert.IsType<PeerIdentity>(connection.PeerIdentity);
            Assert.Equal(Client.RawData, peer.LeafCertificateDer.ToArray());
            Assert.Equal(2, connection.IssuedTickets.Count);
        }
    }

    [Fact]
    public async Task Require_without_a_certificate_ends_with_certificate_required()
    {
        await using var server = new Server(ClientCertificateMode.Require);
        // TLS 1.3 clients finish before the server has judged them; the server's alert arrives on the first read.
        var (tcp, tls, reader) = await ConnectAsync(server, certificate: null);
        using (tcp)
        await using (tls)
        {
            await Assert.ThrowsAnyAsync<Exception>(() => AskAsync(tls, reader, "who"));
        }

        await WaitForAsync(() => server.Log.Any(line => line.Contains("CertificateRequired", StringComparison.Ordinal)), server.Log);
        Assert.Empty(server.Connections);
    }

    [Fact]
    public async Task Require_rejects_an_untrusted_chain_with_unknown_ca()
    {
        await using var server = new Server(ClientCertificateMode.Require);
        var (tcp, tls, reader) = await ConnectAsync(server, Rogue);
        using (tcp)
        await using (tls)
        {
            await Assert.ThrowsAnyAsync<Exception>(() => AskAsync(tls, reader, "who"));
        }

        await WaitForAsync(() => server.Log.Any(line => line.Contains("UnknownCa", StringComparison.Ordinal)), server.Log);
    }

    [Fact]
    public async Task Request_accepts_no_certificate_and_records_an_untrusted_one()
    {
        await using var server = new Server(ClientCertificateMode.Request);
        var (tcp, tls, reader) = await ConnectAsync(server, certificate: null);
        using (tcp)
        await using (tls)
        {
            Assert.Equal("nobody", await AskAsync(tls, reader, "who"));
        }

        (tcp, tls, reader) = await ConnectAsync(server, Rogue);
        using (tcp)
        await using (tls)
        {
            var answer = await AskAsync(tls, reader, "who");
            Assert.StartsWith("CN=engine rogue verified=False UntrustedRoot", answer, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task SslStream_offers_post_handshake_auth_and_the_connection_knows_it()
    {
        // .NET's client on Linux (OpenSSL underneath) puts post_handshake_auth in its ClientHello. It does not answer
        // the request from a plain read, though, so the answer itself is tested with s_client and gnutls-cli.
        await using var server = new Server(ClientCertificateMode.None);
        var (tcp, tls, reader) = await ConnectAsync(server, Client);
        using (tcp)
        await using (tls)
        {
            // No certificate in the handshake without a mode asking for one, though the client has one to give.
            Assert.Equal("nobody", await AskAsync(tls, reader, "who"));
            var connection = Assert.Single(server.Connections);
            Assert.True(connection.PostHandshakeAuthOffered);
            Assert.Null(connection.PeerIdentity);
        }
    }

    [Fact]
    public async Task Extra_tickets_are_issued_on_top_and_refused_before_the_handshake()
    {
        await using var server = new Server(ClientCertificateMode.None);
        var (tcp, tls, reader) = await ConnectAsync(server, certificate: null);
        using (tcp)
        await using (tls)
        {
            Assert.Equal("extra 3 total 5", await AskAsync(tls, reader, "extra"));
        }

        using var pair = await SocketPair.CreateAsync();
        await using var early = server.Context.CreateConnection(pair.Server);
        await Assert.ThrowsAsync<InvalidOperationException>(() => early.SendExtraTicketsAsync(1));
        await Assert.ThrowsAsync<InvalidOperationException>(() => early.VerifyClientPostHandshakeAsync());
        Assert.Null(early.PeerIdentity);
    }

    private static async Task WaitForAsync(Func<bool> condition, IEnumerable<string> log)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.True(condition(), $"log: {string.Join(" | ", log)}");
    }
}
