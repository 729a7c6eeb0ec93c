using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;

namespace Tickets.Tests.Interop.Clients;

/// <summary>
/// .NET's own SslStream as a client, in-process. On Linux it drives OpenSSL and keeps a session cache per target
/// host, so a second connection with the same TargetHost offers the ticket it got, but SslStream exposes neither the
/// tickets nor whether the session was resumed. What it can show: protocol, cipher suite and application data.
/// Resumption and ticket counts are therefore read from the server's side (its page and log line).
/// </summary>
public static class SslStreamClient
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    public sealed record Run(SslProtocols Protocol, TlsCipherSuite CipherSuite, string Page);

    /// <summary>
    /// A target host name no other test uses: the session cache is process-wide and keyed by it, and tests run in
    /// parallel, so sharing "localhost" would let another server's ticket be offered here.
    /// </summary>
    public static string UniqueTargetHost() => $"client-{Guid.NewGuid():N}.localhost";

    public static async Task<Run> FetchPageAsync(int port, string targetHost)
    {
        using var deadline = new CancellationTokenSource(Timeout);
        await using var stream = await ConnectAsync(port, targetHost, deadline.Token);
        await stream.WriteAsync("GET / HTTP/1.0\r\n\r\n"u8.ToArray(), deadline.Token);
        using var page = new MemoryStream();
        await stream.CopyToAsync(page, deadline.Token);
        return new Run(stream.SslProtocol, stream.NegotiatedCipherSuite, Encoding.UTF8.GetString(page.ToArray()));
    }

    public static async Task<SslStream> ConnectAsync(int port, string targetHost, CancellationToken cancellationToken)
    {
        var tcp = new TcpClient();
        try
        {
            await tcp.ConnectAsync("127.0.0.1", port, cancellationToken);
            var stream = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false);
            await stream.AuthenticateAsClientAsync(
                new SslClientAuthenticationOptions
                {
                    TargetHost = targetHost,
                    EnabledSslProtocols = SslProtocols.Tls13,
                    // Throwaway test certificates: trust is not what these tests are about.
                    RemoteCertificateValidationCallback = (_, _, _, _) => true,
                },
                cancellationToken);
            return stream;
        }
        catch
        {
            tcp.Dispose();
            throw;
        }
    }
}
