using System.Net.Sockets;

namespace Tickets.Tests.Robustness;

/// <summary>
/// A plain TCP client that speaks whatever bytes a test gives it: the hostile peer. It reads back what the server
/// answers until the server closes, so a test can compare the alert record byte for byte.
/// </summary>
internal sealed class RawClient : IDisposable
{
    /// <summary>Only guards against a hang in a broken build; nothing is asserted about how long anything took.</summary>
    public static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);

    private readonly Socket socket;

    private RawClient(Socket socket) => this.socket = socket;

    public static async Task<RawClient> ConnectAsync(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync("127.0.0.1", port);
            return new RawClient(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public async Task SendAsync(byte[] bytes) => await socket.SendAsync(bytes, SocketFlags.None);

    /// <summary>Half-close: the server sees end of stream but can still answer.</summary>
    public void EndSending() => socket.Shutdown(SocketShutdown.Send);

    /// <summary>
    /// Everything the server sends until it closes the connection. A reset after the last bytes counts as a close
    /// too: that is how Linux ends a connection whose owner closed it with our bytes still unread.
    /// </summary>
    public async Task<byte[]> ReadToCloseAsync()
    {
        using var guard = new CancellationTokenSource(HangGuard);
        using var received = new MemoryStream();
        var buffer = new byte[4096];
        try
        {
            int count;
            while ((count = await socket.ReceiveAsync(buffer, SocketFlags.None, guard.Token)) > 0)
            {
                received.Write(buffer, 0, count);
            }
        }
        catch (SocketException error) when (error.SocketErrorCode == SocketError.ConnectionReset)
        {
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"the server kept the connection open past {HangGuard} after sending {received.Length} bytes");
        }

        return received.ToArray();
    }

    public void Dispose() => socket.Dispose();
}
