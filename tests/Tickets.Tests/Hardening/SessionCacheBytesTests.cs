using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using LanguageExt;
using Tickets.Core.Model;
using Tickets.TicketStore;

namespace Tickets.Tests.Hardening;

/// <summary>
/// Finding 10: a stateful session keeps its client's whole leaf certificate, whose size the client picks (up to the
/// handshake message limit). Bounded only in entries, 20 480 sessions of 128 KiB certificates made 2.5 GiB. The cache is
/// now bounded in bytes as well (TicketServerContext.SessionCacheBytes, --session-cache-bytes), evicting the oldest.
/// </summary>
[Trait("Category", TestCategory.Unit)]
public sealed class SessionCacheBytesTests
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    [Fact]
    public void The_cache_holds_no_more_bytes_than_its_limit_and_drops_the_oldest()
    {
        const long limit = 1024 * 1024;
        using var cache = new SessionCache(capacityBytes: limit);
        var ids = Enumerable.Range(0, 64).Select(i => cache.Add(new byte[64 * 1024], Hour)).ToList();

        Assert.True(cache.Bytes <= limit, $"{cache.Bytes} bytes held");
        Assert.Equal(15, cache.Count); // 15 x (64 KiB + 160) fit in 1 MiB, 16 do not
        Assert.True(cache.TryGet(ids[^1]).IsSome);
        Assert.True(cache.TryGet(ids[0]).IsNone);
    }

    [Fact]
    public void A_state_larger_than_the_whole_limit_is_not_kept()
    {
        using var cache = new SessionCache(capacityBytes: 64 * 1024);
        var kept = cache.Add(new byte[1000], Hour);
        var huge = cache.Add(new byte[64 * 1024], Hour);

        Assert.Equal(SessionCache.IdLength, huge.Length);
        Assert.True(cache.TryGet(huge).IsNone);
        Assert.True(cache.TryGet(kept).IsSome);
        Assert.Equal(1000 + SessionCache.EntryOverhead, cache.Bytes);
    }

    [Fact]
    public async Task Clients_with_large_certificates_cannot_grow_the_stateful_cache_past_its_bytes()
    {
        const long limit = 256 * 1024;
        using var context = new TicketServerContext(Engine.TestCertificates.EcdsaP256)
        {
            TicketMode = TicketMode.Stateful,
            ClientCertificateMode = ClientCertificateMode.Request,
        };
        var store = new LocalTicketStore(context.TimeProvider) { SessionCacheBytes = limit };
        context.UseTicketStore(store);
        var server = new TicketServer(context, new IPEndPoint(IPAddress.Loopback, 0)) { HandshakeTimeout = TimeSpan.FromSeconds(30) };
        server.Start();
        using var stop = new CancellationTokenSource();
        var served = 0;
        var running = server.RunAsync(async (connection, token) =>
        {
            Assert.NotNull(connection.PeerIdentity);
            Interlocked.Increment(ref served);
            await connection.WriteAsync("ok\n"u8.ToArray(), token);
            await connection.ShutdownAsync();
        }, stop.Token);

        // Ten clients, each with a 40 KiB certificate; each full handshake stores two sessions (two tickets).
        for (var client = 0; client < 10; client++)
        {
            using var certificate = LargeClientCertificate(40 * 1024);
            using var tcp = new TcpClient();
            await tcp.ConnectAsync(IPAddress.Loopback, server.LocalEndpoint.Port);
            await using var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false, (_, _, _, _) => true);
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "localhost",
                EnabledSslProtocols = SslProtocols.Tls13,
                ClientCertificateContext = SslStreamCertificateContext.Create(certificate, additionalCertificates: null, offline: true),
            });
            var line = new byte[3];
            await tls.ReadExactlyAsync(line).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        }

        await stop.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(10, served);
        var cache = store.Cache;
        Assert.True(cache.Bytes <= limit, $"{cache.Bytes} bytes in {cache.Count} sessions");
        Assert.InRange(cache.Count, 1, 6);
    }

    /// <summary>A self-signed client certificate padded to about <paramref name="size"/> bytes by a private extension.</summary>
    private static X509Certificate2 LargeClientCertificate(int size)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=large client", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        byte[] padding = [0x04, 0x82, (byte)(size >> 8), (byte)size, .. new byte[size]]; // OCTET STRING of size bytes
        request.CertificateExtensions.Add(new X509Extension("1.3.6.1.4.1.55555.1", padding, critical: false));
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));
    }
}
