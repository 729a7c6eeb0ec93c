using System.Net;
using System.Net.Sockets;

namespace Tickets.Tests.Engine;

/// <summary>Two connected loopback TCP sockets: the test plays a raw client against a server connection.</summary>
internal sealed class SocketPair : IDisposable
{
    private SocketPair(Socket client, Socket server)
    {
        Client = client;
        Server = server;
    }

    public Socket Client { get; }

    public Socket Server { get; }

    public static async Task<SocketPair> CreateAsync()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var accepting = listener.AcceptAsync();
        await client.ConnectAsync(listener.LocalEndPoint!);
        return new SocketPair(client, await accepting);
    }

    /// <summary>Reads until the server closes (or 5 s pass) and returns everything it sent.</summary>
    public async Task<byte[]> ReadToEndAsync()
    {
        using var received = new MemoryStream();
        var buffer = new byte[4096];
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            int read;
            while ((read = await Client.ReceiveAsync(buffer, SocketFlags.None, deadline.Token)) > 0)
            {
                received.Write(buffer, 0, read);
            }
        }
        catch (SocketException)
        {
            // A reset after the alert still ends the stream.
        }

        return received.ToArray();
    }

    public void Dispose()
    {
        Client.Dispose();
        Server.Dispose();
    }
}
