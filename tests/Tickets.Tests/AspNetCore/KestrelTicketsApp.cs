using System.Globalization;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tickets.AspNetCore;
using Tickets.Tests.Interop;

namespace Tickets.Tests.AspNetCore;

/// <summary>
/// A real ASP.NET Core app in the test process: Kestrel on 127.0.0.1 (a port the OS picks), secured with
/// <c>UseTickets</c> exactly as an application writes it, serving a page that describes the connection from the
/// features the middleware set. GET /extra/N first sends N extra tickets through <see cref="ITicketsConnectionFeature"/>;
/// GET /authenticate first asks the client for a certificate (post-handshake authentication).
/// </summary>
internal sealed class KestrelTicketsApp : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly List<string> log;

    private KestrelTicketsApp(WebApplication app, int port, List<string> log)
    {
        this.app = app;
        this.log = log;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The address Kestrel reports for the endpoint, e.g. https://127.0.0.1:PORT.</summary>
    public required string Address { get; init; }

    /// <summary>The server's log so far (Tickets' and Kestrel's, Debug and above), for assertions and their messages.</summary>
    public string LogText()
    {
        lock (log)
        {
            return string.Join('\n', log);
        }
    }

    /// <summary>Fails when Kestrel or Tickets logged an error: an exception escaping the middleware would show here.</summary>
    public void AssertNoErrors()
    {
        var text = LogText();
        Assert.DoesNotContain("\nError ", "\n" + text, StringComparison.Ordinal);
        Assert.DoesNotContain("\nCritical ", "\n" + text, StringComparison.Ordinal);
    }

    public static X509Certificate2 Certificate() =>
        X509Certificate2.CreateFromPemFile(TestCertificates.Instance.LeafPem, TestCertificates.Instance.KeyPem);

    /// <summary>Starts the app; <paramref name="closeAfterResponse"/> ends each HTTP/1.1 connection after its response.</summary>
    public static async Task<KestrelTicketsApp> StartAsync(
        Action<TicketServerOptions> configure, HttpProtocols protocols = HttpProtocols.Http1AndHttp2, bool closeAfterResponse = false)
    {
        var log = new List<string>();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Debug);
        builder.Logging.AddProvider(new ListLoggerProvider(log));
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0, listen =>
            {
                listen.Protocols = protocols;
                listen.UseTickets(configure);
            });
        });

        var app = builder.Build();
        app.MapGet("/extra/{count:int}", async (HttpContext http, int count) =>
        {
            var connection = http.Features.GetRequiredFeature<ITicketsConnectionFeature>().Connection;
            await connection.SendExtraTicketsAsync(count, http.RequestAborted);
            return Page(http, closeAfterResponse);
        });
        app.MapGet("/authenticate", async (HttpContext http) =>
        {
            var connection = http.Features.GetRequiredFeature<ITicketsConnectionFeature>().Connection;
            await connection.VerifyClientPostHandshakeAsync(http.RequestAborted);
            return Page(http, closeAfterResponse);
        });
        app.MapGet("/{**path}", (HttpContext http) => Page(http, closeAfterResponse));
        await app.StartAsync();

        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new KestrelTicketsApp(app, new Uri(address).Port, log) { Address = address };
    }

    /// <summary>
    /// What the features say about the connection, as "Name: value" lines (the names `tickets serve --www` uses where it
    /// reports the same thing, so <see cref="HttpPage"/> reads both).
    /// </summary>
    private static IResult Page(HttpContext http, bool closeAfterResponse)
    {
        var handshake = http.Features.GetRequiredFeature<ITlsHandshakeFeature>();
        var alpn = http.Features.GetRequiredFeature<ITlsApplicationProtocolFeature>();
        var connection = http.Features.GetRequiredFeature<ITicketsConnectionFeature>().Connection;
        var page = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"HTTP: {http.Request.Protocol}\n")
            .Append(CultureInfo.InvariantCulture, $"Scheme: {http.Request.Scheme}\n")
            .Append(CultureInfo.InvariantCulture, $"Protocol: {handshake.Protocol}\n")
            .Append(CultureInfo.InvariantCulture, $"Cipher suite: {handshake.NegotiatedCipherSuite}\n")
            .Append(CultureInfo.InvariantCulture, $"Host name: {(handshake.HostName.Length == 0 ? "(none)" : handshake.HostName)}\n")
            .Append(CultureInfo.InvariantCulture, $"ALPN: {Encoding.ASCII.GetString(alpn.ApplicationProtocol.Span)}\n")
            .Append(CultureInfo.InvariantCulture, $"Session resumed: {(connection.Resumed ? "yes" : "no")}\n")
            .Append(CultureInfo.InvariantCulture, $"Tickets issued on this connection: {connection.IssuedTickets.Count}\n")
            .Append(CultureInfo.InvariantCulture, $"Ticket count: {connection.GetNumTickets()}\n")
            .Append(CultureInfo.InvariantCulture, $"Connection: {connection.Id}\n")
            .Append(CultureInfo.InvariantCulture, $"Client certificate: {http.Connection.ClientCertificate?.Subject ?? "(none)"}\n")
            .ToString();
        if (closeAfterResponse && !HttpProtocol.IsHttp2(http.Request.Protocol))
        {
            http.Response.Headers.Connection = "close";
        }

        return Results.Text(page, "text/plain");
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    /// <summary>Keeps log lines in a list (locked: Kestrel logs from many threads).</summary>
    private sealed class ListLoggerProvider(List<string> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new ListLogger(lines, categoryName);

        public void Dispose()
        {
        }

        private sealed class ListLogger(List<string> lines, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                lock (lines)
                {
                    lines.Add($"{logLevel} {category}[{eventId.Id}] {formatter(state, exception)}{(exception is null ? "" : " " + exception.GetType().Name)}");
                }
            }
        }
    }
}
