// A TLS 1.3 echo server on the Tickets library: every line a client sends comes back. Each connection is announced
// with what its handshake did (full or resumed) and the tickets it was given.
//
//     dotnet run --project samples/EchoServer -- 4433 [tickets]
//     openssl s_client -connect 127.0.0.1:4433 -tls1_3 -sess_out s.pem      (type lines; Ctrl-D ends)
//     openssl s_client -connect 127.0.0.1:4433 -tls1_3 -sess_in s.pem       (resumes: "Reused, TLSv1.3")
//
// The certificate is a self-signed one made at start-up for localhost.
using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Tickets;

var port = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 4433;
var tickets = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 2;

using var certificate = SelfSignedForLocalhost();
await using var server = new TicketServer(new IPEndPoint(IPAddress.Loopback, port), new TicketServerOptions
{
    ServerCertificate = certificate,
    NumTickets = tickets,                        // SSL_CTX_set_num_tickets
    HandshakeTimeout = TimeSpan.FromSeconds(10),
});

// Ctrl-C (or SIGTERM) stops the server: it stops accepting, tells open connections to stop, and waits up to its
// shutdown timeout.
using var stopping = new CancellationTokenSource();
using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

await server.StartAsync(EchoAsync);
Console.WriteLine($"echo server on {server.LocalEndPoint}, {tickets} ticket(s) per full handshake; Ctrl-C stops");
try
{
    await Task.Delay(Timeout.Infinite, stopping.Token);
}
catch (OperationCanceledException)
{
    // Ctrl-C or SIGTERM.
}

await server.StopAsync();
Console.WriteLine("stopped");

void Stop(PosixSignalContext signal)
{
    signal.Cancel = true;
    stopping.Cancel();
}

// One connection, after its handshake and tickets: echo until the client closes, then close_notify.
static async Task EchoAsync(TicketServerConnection connection, CancellationToken stopping)
{
    Console.WriteLine(
        $"connection {connection.Id} from {connection.RemoteEndPoint}: {(connection.Resumed ? "resumed" : "full handshake")}, " +
        $"{connection.NegotiatedCipherSuite}, {connection.IssuedTickets.Count} ticket(s)");
    await using var stream = connection.GetStream();   // disposing it sends close_notify
    var buffer = new byte[16384];
    int read;
    while ((read = await stream.ReadAsync(buffer, stopping)) > 0)
    {
        await stream.WriteAsync(buffer.AsMemory(0, read), stopping);
    }

    Console.WriteLine($"connection {connection.Id} closed by the client");
}

static X509Certificate2 SelfSignedForLocalhost()
{
    using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
    var names = new SubjectAlternativeNameBuilder();
    names.AddDnsName("localhost");
    names.AddIpAddress(IPAddress.Loopback);
    request.CertificateExtensions.Add(names.Build());
    var now = DateTimeOffset.UtcNow;
    return request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(30));
}
