using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Tickets.Core.Protocol;
using CertificateRequest = System.Security.Cryptography.X509Certificates.CertificateRequest;
using Tickets.Tests.Engine;

namespace Tickets.Tests.Hardening;

/// <summary>
/// Finding 1: building a client's chain followed the URLs in its certificate. With an intermediate missing, .NET fetched
/// it from the leaf's Authority Information Access caIssuers URL, chosen by the client, when the Certificate arrived,
/// before the client proved it holds the key, and on the thread completing the socket read: any client could make the
/// server send HTTP requests where it liked and stall handshakes for the download timeout. Now the chain is judged
/// only after CertificateVerify, off the socket thread, and never fetches anything.
/// </summary>
[Trait("Category", TestCategory.Unit)]
public sealed class ClientChainTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_client_certificate_naming_an_AIA_url_makes_the_server_fetch_nothing_and_wait_for_nothing()
    {
        await using var listener = new SilentHttpListener();
        using var chain = new ChainWithAia(listener.Url);
        await using var server = new ClientAuthServer(chain.Root);

        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, server.Port);
        await using var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false, (_, _, _, _) => true);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            EnabledSslProtocols = SslProtocols.Tls13,
            // Offline: SslStream would otherwise itself fetch the intermediate it does not have to send, and the
            // listener would count the client's request, not the server's.
            ClientCertificateContext = SslStreamCertificateContext.Create(chain.Leaf, additionalCertificates: null, offline: true),
        });

        // The server judged the chain (missing intermediate: not verified) and answered at once: nothing to wait for.
        var answer = await new StreamReader(tls, Encoding.ASCII).ReadLineAsync().WaitAsync(Patience);
        Assert.StartsWith("CN=aia client verified=False", answer, StringComparison.Ordinal);
        Assert.Contains("PartialChain", answer, StringComparison.Ordinal);
        Assert.Equal(0, listener.Connections);
    }

    [Fact]
    public async Task A_client_that_cannot_prove_its_key_gets_decrypt_error_and_no_chain_building_at_all()
    {
        await using var listener = new SilentHttpListener();
        using var chain = new ChainWithAia(listener.Url);
        using var context = new TicketServerContext(TestCertificates.EcdsaP256)
        {
            ClientCertificateMode = ClientCertificateMode.Request,
            ClientCertificateAuthorities = [chain.Root],
        };

        // Someone else's certificate, and a signature it did not make.
        await using var session = await ScriptedSession.ConnectAsync(context, beforeFinished: async client =>
        {
            var certificate = CertificateCodec.Encode(new CertificateMessage([], [chain.Leaf.RawData]));
            var verify = CertificateVerifyCodec.Encode(new CertificateVerify(SignatureScheme.ecdsa_secp256r1_sha256, RandomNumberGenerator.GetBytes(70)));
            await client.SendAsync(client.HandshakeSealer, ContentType.Handshake, [.. certificate, .. verify]);
            return false;
        });

        var failure = await Assert.ThrowsAsync<TlsHandshakeException>(() => session.Handshake.WaitAsync(Patience));
        Assert.Equal(AlertDescription.DecryptError, failure.Alert);
        Assert.Equal(0, listener.Connections);
    }

    [Fact]
    public void Revocation_is_not_checked_unless_asked_for()
    {
        using var context = new TicketServerContext(TestCertificates.EcdsaP256);
        Assert.Equal(X509RevocationMode.NoCheck, context.ClientCertificateRevocationMode);
    }

    /// <summary>A TCP listener on 127.0.0.1 that counts the connections it gets and never answers any of them.</summary>
    private sealed class SilentHttpListener : IAsyncDisposable
    {
        private readonly TcpListener listener = new(IPAddress.Loopback, 0);
        private readonly List<TcpClient> accepted = [];
        private readonly Task accepting;
        private int connections;

        public SilentHttpListener()
        {
            listener.Start();
            accepting = AcceptAsync();
        }

        public string Url => $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/intermediate.cer";

        public int Connections => Volatile.Read(ref connections);

        private async Task AcceptAsync()
        {
            try
            {
                while (true)
                {
                    var client = await listener.AcceptTcpClientAsync();
                    Interlocked.Increment(ref connections);
                    lock (accepted)
                    {
                        accepted.Add(client);
                    }
                }
            }
            catch (Exception error) when (error is SocketException or ObjectDisposedException)
            {
                // Stopped.
            }
        }

        public async ValueTask DisposeAsync()
        {
            listener.Stop();
            await accepting;
            lock (accepted)
            {
                accepted.ForEach(client => client.Dispose());
            }
        }
    }

    /// <summary>Root, intermediate and leaf; the leaf names the intermediate's URL (caIssuers), an OCSP and a CRL URL.</summary>
    private sealed class ChainWithAia : IDisposable
    {
        public ChainWithAia(string url)
        {
            var now = DateTimeOffset.UtcNow;
            using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            Root = CaRequest("CN=aia root", rootKey).CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));

            using var intermediateKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            using var intermediateCertificate = CaRequest("CN=aia intermediate", intermediateKey)
                .Create(Root, now.AddMinutes(-5), now.AddDays(1), RandomNumberGenerator.GetBytes(8));
            using var intermediate = intermediateCertificate.CopyWithPrivateKey(intermediateKey);

            var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest("CN=aia client", leafKey, HashAlgorithmName.SHA256);
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
            request.CertificateExtensions.Add(new X509AuthorityInformationAccessExtension([url + "/ocsp"], [url], false));
            request.CertificateExtensions.Add(CertificateRevocationListBuilder.BuildCrlDistributionPointExtension([url + ".crl"]));
            using var leaf = request.Create(intermediate, now.AddMinutes(-5), now.AddDays(1), RandomNumberGenerator.GetBytes(8));
            Leaf = leaf.CopyWithPrivateKey(leafKey);
        }

        public X509Certificate2 Root { get; }

        public X509Certificate2 Leaf { get; }

        private static CertificateRequest CaRequest(string subject, ECDsa key)
        {
            var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
            return request;
        }

        public void Dispose()
        {
            Root.Dispose();
            Leaf.Dispose();
        }
    }

    /// <summary>A library server asking for client certificates; it answers each connection with what it concluded.</summary>
    private sealed class ClientAuthServer : IAsyncDisposable
    {
        private readonly CancellationTokenSource stop = new();
        private readonly TicketServerContext context;
        private readonly TicketServer server;
        private readonly Task running;

        public ClientAuthServer(X509Certificate2 root)
        {
            context = new TicketServerContext(TestCertificates.EcdsaP256)
            {
                ClientCertificateMode = ClientCertificateMode.Request,
                ClientCertificateAuthorities = [root],
            };
            server = new TicketServer(context, new IPEndPoint(IPAddress.Loopback, 0)) { HandshakeTimeout = TimeSpan.FromSeconds(30) };
            server.Start();
            running = server.RunAsync(async (connection, token) =>
            {
                var peer = connection.PeerIdentity;
                var line = peer is null ? "nobody" : $"{peer.Subject} verified={peer.Verified} {peer.VerificationResult}";
                await connection.WriteAsync(Encoding.ASCII.GetBytes(line + "\n"), token);
                await connection.ShutdownAsync();
            }, stop.Token);
        }

        public int Port => server.LocalEndpoint.Port;

        public async ValueTask DisposeAsync()
        {
            await stop.CancelAsync();
            await running.WaitAsync(TimeSpan.FromSeconds(30));
            stop.Dispose();
            context.Dispose();
        }
    }
}
