using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;

// IdleClients PORT COUNT: opens COUNT TLS 1.3 connections to 127.0.0.1:PORT, completes every handshake,
// sends nothing, prints "ready COUNT" and holds them until standard input closes. The server side then has
// COUNT idle established connections, each waiting for a request, which is what idle.sh measures.
if (args.Length != 2)
{
    Console.Error.WriteLine("usage: IdleClients PORT COUNT");
    return 2;
}

var port = int.Parse(args[0]);
var count = int.Parse(args[1]);
var options = new SslClientAuthenticationOptions
{
    TargetHost = "localhost",
    EnabledSslProtocols = SslProtocols.Tls13,
    // A benchmark against our own throwaway certificate: there is nothing to verify.
    RemoteCertificateValidationCallback = (_, _, _, _) => true,
};

var held = new List<SslStream>(count);
// A few at a time: the servers' accept backlogs are finite and the point is idle, not concurrent, handshakes.
for (var done = 0; done < count; done += 16)
{
    var batch = Enumerable.Range(0, Math.Min(16, count - done)).Select(async _ =>
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync("127.0.0.1", port);
        var ssl = new SslStream(new NetworkStream(socket, ownsSocket: true));
        await ssl.AuthenticateAsClientAsync(options);
        return ssl;
    });
    held.AddRange(await Task.WhenAll(batch));
}

Console.WriteLine($"ready {held.Count}");
await Console.In.ReadToEndAsync();
foreach (var ssl in held)
{
    ssl.Dispose();
}

return 0;
