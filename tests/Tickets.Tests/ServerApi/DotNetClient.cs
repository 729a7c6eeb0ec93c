using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Tickets.Tests.ServerApi;

/// <summary>A TLS 1.3 client on .NET's SslStream, connected to a port on 127.0.0.1; disposing closes both.</summary>
internal sealed class DotNetClient : IAsyncDisposable
{
    private readonly TcpClient tcp;

    private DotNetClient(TcpClient tcp, SslStream tls)
    {
        this.tcp = tcp;
        Tls = tls;
    }

    public SslStream Tls { get; }

    /// <summary>The client's own address: what the server reports as the connection's RemoteEndPoint.</summary>
    public IPEndPoint LocalEndPoint => (IPEndPoint)tcp.Client.LocalEndPoint!;

    /// <summary>Connects and completes the handshake (the server's certificate is not checked).</summary>
    public static async Task<DotNetClient> ConnectAsync(
        int port, string targetHost = "localhost", X509Certificate2? clientCertificate = null)
    {
        var tcp = new TcpClient(AddressFamily.InterNetwork);
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false, (_, _, _, _) => true);
        try
        {
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = targetHost,
                EnabledSslProtocols = SslProtocols.Tls13,
                ApplicationProtocols = [SslApplicationProtocol.Http11],
                ClientCertificates = clientCertificate is null ? null : [clientCertificate],
            }).WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch
        {
            await tls.DisposeAsync();
            tcp.Dispose();
            throw;
        }

        return new DotNetClient(tcp, tls);
    }

    public async ValueTask DisposeAsync()
    {
        await Tls.DisposeAsync();
        tcp.Dispose();
    }
}
