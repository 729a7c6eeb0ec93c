using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;

// Minimal TLS 1.3 web server over SslStream, for the handshake benchmark only:
//   SslStreamServer PORT CERT.pem KEY.pem RESPONSE_FILE
// Answers every request head with RESPONSE_FILE's bytes as an HTTP/1.0 page, then closes (like
// `openssl s_server -WWW` and `tickets serve --www`), so `openssl s_time -www` can drive it.
if (args.Length != 4)
{
    Console.Error.WriteLine("usage: SslStreamServer PORT CERT.pem KEY.pem RESPONSE_FILE");
    return 2;
}

var port = int.Parse(args[0]);
// Re-import through PKCS#12: on Linux an ephemeral PEM key works too, but this is the form servers deploy.
using var pem = X509Certificate2.CreateFromPemFile(args[1], args[2]);
var certificate = X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
var body = File.ReadAllBytes(args[3]);
var response = Encoding.ASCII.GetBytes($"HTTP/1.0 200 ok\r\nContent-Type: text/html\r\nContent-Length: {body.Length}\r\n\r\n")
    .Concat(body).ToArray();

// One context for all connections, as a real server would build it: certificate and chain resolved once.
var options = new SslServerAuthenticationOptions
{
    ServerCertificateContext = SslStreamCertificateContext.Create(certificate, additionalCertificates: null, offline: true),
    EnabledSslProtocols = SslProtocols.Tls13,
    ClientCertificateRequired = false,
    CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
};

using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
listener.Bind(new IPEndPoint(IPAddress.Loopback, port));
listener.Listen(512);
Console.WriteLine($"sslstream: listening on 127.0.0.1:{port}");

while (true)
{
    var socket = await listener.AcceptAsync();
    _ = Task.Run(() => ServeAsync(socket));
}

async Task ServeAsync(Socket socket)
{
    try
    {
        socket.NoDelay = true;
        await using var ssl = new SslStream(new NetworkStream(socket, ownsSocket: true), leaveInnerStreamOpen: false);
        await ssl.AuthenticateAsServerAsync(options);
        var head = new byte[8192];
        var filled = 0;
        while (filled < head.Length)
        {
            var read = await ssl.ReadAsync(head.AsMemory(filled));
            if (read == 0)
            {
                return;
            }

            filled += read;
            if (head.AsSpan(0, filled).IndexOf("\r\n\r\n"u8) >= 0)
            {
                break;
            }
        }

        await ssl.WriteAsync(response);
        await ssl.ShutdownAsync();
    }
    catch (Exception error) when (error is IOException or AuthenticationException or SocketException or ObjectDisposedException)
    {
        // A client that went away; the benchmark only counts completed handshakes on its side.
    }
}
