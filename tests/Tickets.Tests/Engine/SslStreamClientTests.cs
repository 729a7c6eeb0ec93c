using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Tickets.Tests.Engine;

/// <summary>.NET's own TLS client (SslStream, OpenSSL underneath on Linux) against the engine.</summary>
[Trait("Category", TestCategory.Unit)]
public class SslStreamClientTests
{
    public static TheoryData<string> Certificates => ["P-256", "P-384", "RSA-PSS"];

    private static X509Certificate2 Certificate(string name) => name switch
    {
        "P-256" => TestCertificates.EcdsaP256,
        "P-384" => TestCertificates.EcdsaP384,
        _ => TestCertificates.RsaPss,
    };

    [Theory]
    [MemberData(nameof(Certificates))]
    public async Task Handshake_completes_and_data_echoes(string certificate)
    {
        await using var server = new EngineTestServer(Certificate(certificate));
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", server.Port);
        await using var tls = new SslStream(client.GetStream(), leaveInnerStreamOpen: false, (_, _, _, _) => true);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            EnabledSslProtocols = SslProtocols.Tls13,
            ApplicationProtocols = [SslApplicationProtocol.Http11],
        });

        Assert.Equal(SslProtocols.Tls13, tls.SslProtocol);
        Assert.Equal(SslApplicationProtocol.Http11, tls.NegotiatedApplicationProtocol);
        var reader = new StreamReader(tls, Encoding.ASCII);
        Assert.Equal(EngineTestServer.Greeting, await reader.ReadLineAsync());

        // More than one record's worth, so fragmentation and reassembly on both sides are exercised.
        var payload = new string('x', 40_000) + "\n";
        await tls.WriteAsync(Encoding.ASCII.GetBytes(payload));
        Assert.Equal(payload.TrimEnd('\n'), await reader.ReadLineAsync());

        var served = Assert.Single(await server.WaitForServedAsync(1));
        Assert.False(served.Resumed);
        Assert.Equal("localhost", served.ServerName);
        Assert.Equal("http/1.1", served.ApplicationProtocol);
        Assert.Equal(2, served.Tickets);
        Assert.Equal(certificate switch
        {
            "P-256" => "ecdsa_secp256r1_sha256",
            "P-384" => "ecdsa_secp384r1_sha384",
            _ => "rsa_pss_rsae_sha256",
        }, served.SignatureScheme);
    }

    [Fact]
    public async Task Many_concurrent_clients_are_served_at_once()
    {
        await using var server = new EngineTestServer();
        const int clients = 24;
        var lines = await Task.WhenAll(Enumerable.Range(0, clients).Select(async i =>
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", server.Port);
            await using var tls = new SslStream(client.GetStream(), leaveInnerStreamOpen: false, (_, _, _, _) => true);
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "localhost",
                EnabledSslProtocols = SslProtocols.Tls13,
            });
            var reader = new StreamReader(tls, Encoding.ASCII);
            Assert.Equal(EngineTestServer.Greeting, await reader.ReadLineAsync());
            await tls.WriteAsync(Encoding.ASCII.GetBytes($"client {i}\n"));
            return await reader.ReadLineAsync();
        }));

        Assert.Equal(Enumerable.Range(0, clients).Select(i => $"client {i}"), lines);
        Assert.Equal(clients, (await server.WaitForServedAsync(clients)).Length);
    }

    [Fact]
    public async Task Tls12_only_client_is_refused()
    {
        await using var server = new EngineTestServer();
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", server.Port);
        await using var tls = new SslStream(client.GetStream(), leaveInnerStreamOpen: false, (_, _, _, _) => true);
        await Assert.ThrowsAnyAsync<Exception>(() => tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            EnabledSslProtocols = SslProtocols.Tls12,
        }));

        var log = await server.WaitForLogAsync(1);
        Assert.Contains(log, line => line.Contains("ProtocolVersion"));
        Assert.Empty(server.Served);
    }
}
