// A minimal API on Kestrel, secured by Tickets: TLS 1.3 with three session tickets after a full handshake and one
// after a resumption, as OpenSSL 3.0 issues them with SSL_CTX_set_num_tickets(ctx, 3).
//
//     dotnet run --project samples/MinimalApi -- --port 5001
//     curl -k --http2 https://localhost:5001/
//     openssl s_client -connect localhost:5001 -tls1_3 -msg -sess_out s.pem < /dev/null | grep NewSessionTicket
//
// --cert and --key (PEM files) serve your certificate; without them the sample makes a self-signed one for localhost.
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Tickets.AspNetCore;

var builder = WebApplication.CreateBuilder(args);
var port = builder.Configuration.GetValue("port", 5001);
using var certificate = builder.Configuration["cert"] is { } certificateFile
    ? X509Certificate2.CreateFromPemFile(certificateFile, builder.Configuration["key"])
    : SelfSignedForLocalhost();

builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.ListenLocalhost(port, listen =>
    {
        listen.Protocols = HttpProtocols.Http1AndHttp2;
        listen.UseTickets(options =>
        {
            options.ServerCertificate = certificate;   // X509Certificate2 with its private key
            options.NumTickets = 3;                    // SSL_CTX_set_num_tickets
        });
    });
});

var app = builder.Build();

// What this request's TLS connection looks like, from the features UseTickets sets.
app.MapGet("/", (HttpContext http) =>
{
    var tls = http.Features.GetRequiredFeature<ITlsHandshakeFeature>();
    var connection = http.Features.GetRequiredFeature<ITicketsConnectionFeature>().Connection;
    return Results.Text(
        $"""
        HTTP: {http.Request.Protocol}
        Protocol: {tls.Protocol}
        Cipher suite: {tls.NegotiatedCipherSuite}
        ALPN: {connection.NegotiatedApplicationProtocol}
        Session resumed: {(connection.Resumed ? "yes" : "no")}
        Tickets issued on this connection: {connection.IssuedTickets.Count}

        """,
        "text/plain");
});

// One more ticket on this connection, now (≈ SSL_new_session_ticket).
app.MapPost("/tickets", async (HttpContext http) =>
{
    var connection = http.Features.GetRequiredFeature<ITicketsConnectionFeature>().Connection;
    var issued = await connection.SendExtraTicketsAsync(1, http.RequestAborted);
    return Results.Text($"Tickets issued on this connection: {connection.IssuedTickets.Count} (+{issued.Count})\n", "text/plain");
});

app.Run();

static X509Certificate2 SelfSignedForLocalhost()
{
    using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
    var names = new SubjectAlternativeNameBuilder();
    names.AddDnsName("localhost");
    names.AddIpAddress(System.Net.IPAddress.Loopback);
    names.AddIpAddress(System.Net.IPAddress.IPv6Loopback);
    request.CertificateExtensions.Add(names.Build());
    var now = DateTimeOffset.UtcNow;
    return request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(30));
}
