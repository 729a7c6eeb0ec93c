using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using System.Net;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

// Minimal Kestrel HTTPS server for the concurrency benchmark only:
//   KestrelServer PORT CERT.pem KEY.pem PAGE_FILE
// TLS 1.3 only, HTTP/1.1 only (h2load runs with --h1 against every server), every response says
// "Connection: close" so Kestrel closes after it, like nginx with keepalive_timeout 0 and `tickets serve --www`.
if (args.Length != 4)
{
    Console.Error.WriteLine("usage: KestrelServer PORT CERT.pem KEY.pem PAGE_FILE");
    return 2;
}

var port = int.Parse(args[0]);
// Re-import through PKCS#12, the form servers deploy (as SslStreamServer does).
using var pem = X509Certificate2.CreateFromPemFile(args[1], args[2]);
var certificate = X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
var page = File.ReadAllBytes(args[3]);

var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.AddServerHeader = false;
    // The benchmark's one-shot mix opens 1000 connections at once: no connection limit (Kestrel has none by default).
    kestrel.Limits.MaxConcurrentConnections = null;
    kestrel.Listen(IPAddress.Loopback, port, listen =>
    {
        listen.Protocols = HttpProtocols.Http1;
        listen.UseHttps(new HttpsConnectionAdapterOptions
        {
            ServerCertificate = certificate,
            SslProtocols = SslProtocols.Tls13,
            ClientCertificateMode = ClientCertificateMode.NoCertificate,
            CheckCertificateRevocation = false,
        });
    });
});

var app = builder.Build();
app.Run(async context =>
{
    context.Response.Headers.Connection = "close";
    context.Response.ContentType = "text/html";
    context.Response.ContentLength = page.Length;
    await context.Response.Body.WriteAsync(page);
});
Console.WriteLine($"kestrel: listening on 127.0.0.1:{port}");
await app.RunAsync();
return 0;
