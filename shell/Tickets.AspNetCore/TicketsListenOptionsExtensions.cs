using System.Net.Security;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Tickets;
using Tickets.AspNetCore;

// UseHttps lives here too, so one `using Microsoft.AspNetCore.Hosting;` (implicit in web projects) finds both.
namespace Microsoft.AspNetCore.Hosting;

/// <summary>Secures a Kestrel endpoint with Tickets: TLS 1.3 with OpenSSL 3.0's session-ticket semantics.</summary>
public static class TicketsListenOptionsExtensions
{
    /// <summary>
    /// Serves this endpoint over TLS 1.3 with Tickets instead of <c>UseHttps</c>: every connection Kestrel accepts runs
    /// the Tickets handshake first (certificate, ticket count as SSL_CTX_set_num_tickets, resumption, client
    /// certificates as configured), then HTTP/1.1 or HTTP/2 as ALPN chose.
    /// </summary>
    /// <param name="listen">The endpoint, e.g. from <c>ListenLocalhost(port, listen => ...)</c>. Set
    /// <see cref="ListenOptions.Protocols"/> before this call: it decides the ALPN protocols offered.</param>
    /// <param name="configure">Sets the options: at least a certificate
    /// (<see cref="TicketServerOptions.ServerCertificate"/> and the like); see the remarks for the options Kestrel
    /// handles itself.</param>
    /// <returns><paramref name="listen"/>, for chaining.</returns>
    /// <remarks>
    /// <para>The options are validated here, once, and build one <see cref="TicketServerContext"/> for the endpoint (its
    /// ticket keys, session cache and settings), disposed when the application stops.</para>
    /// <para>When <see cref="TicketServerOptions.ApplicationProtocols"/> is left null, the endpoint offers h2 and
    /// http/1.1 as <see cref="ListenOptions.Protocols"/> allows, h2 first. <see cref="TicketServerOptions.LoggerFactory"/>
    /// left null logs to the application's logging. <see cref="TicketServerOptions.OnConnectionAccepted"/> runs for each
    /// connection before its handshake. <see cref="TicketServerOptions.MaxConnections"/> and
    /// <see cref="TicketServerOptions.ShutdownTimeout"/> do not apply: Kestrel's limits and the host's shutdown timeout
    /// govern its connections.</para>
    /// <para>From an endpoint, <c>HttpContext.Features.Get&lt;ITicketsConnectionFeature&gt;()</c> reaches the connection
    /// (its tickets, extra tickets, post-handshake authentication); <c>ITlsHandshakeFeature</c>,
    /// <c>ITlsConnectionFeature</c> and <c>ITlsApplicationProtocolFeature</c> are set as by <c>UseHttps</c>.</para>
    /// </remarks>
    /// <exception cref="ArgumentException">An option has an unusable value.</exception>
    /// <exception cref="InvalidOperationException">Options contradict each other, or no certificate is set.</exception>
    public static ListenOptions UseTickets(this ListenOptions listen, Action<TicketServerOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(listen);
        ArgumentNullException.ThrowIfNull(configure);
        var options = new TicketServerOptions();
        configure(options);
        return listen.UseTickets(options);
    }

    /// <summary>
    /// As <see cref="UseTickets(ListenOptions, Action{TicketServerOptions})"/>, with options built beforehand (read now;
    /// changing them afterwards changes nothing).
    /// </summary>
    /// <param name="listen">The endpoint; its <see cref="ListenOptions.Protocols"/> decide the ALPN protocols offered
    /// unless the options name them.</param>
    /// <param name="options">The server options, with at least a certificate.</param>
    /// <returns><paramref name="listen"/>, for chaining.</returns>
    /// <exception cref="ArgumentException">An option has an unusable value.</exception>
    /// <exception cref="InvalidOperationException">Options contradict each other, or no certificate is set.</exception>
    public static ListenOptions UseTickets(this ListenOptions listen, TicketServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(listen);
        ArgumentNullException.ThrowIfNull(options);
        // Null when Kestrel runs without a host (KestrelServerOptions built by hand): no logging, no lifetime then.
        IServiceProvider? services = listen.ApplicationServices;
        var loggerFactory = options.LoggerFactory ?? services?.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance;
        // The context reads the options once, with the endpoint's defaults filled in; the caller's object is then put
        // back as it was given.
        var givenProtocols = options.ApplicationProtocols;
        var givenLoggerFactory = options.LoggerFactory;
        options.ApplicationProtocols = givenProtocols ?? ApplicationProtocolsFor(listen.Protocols);
        options.LoggerFactory = loggerFactory;
        TicketServerContext context;
        try
        {
            context = new TicketServerContext(options);
        }
        finally
        {
            options.ApplicationProtocols = givenProtocols;
            options.LoggerFactory = givenLoggerFactory;
        }

        // The endpoint's keys and sessions live as long as the application (a test host without a lifetime leaves
        // the context to the garbage collector; its ticket keys are then not wiped).
        services?.GetService<IHostApplicationLifetime>()?.ApplicationStopped.Register(context.Dispose);

        KestrelTlsFlag.TryMarkSecured(listen);
        var logger = loggerFactory.CreateLogger("Tickets.AspNetCore.TicketsConnectionMiddleware");
        listen.Use(next => new TicketsConnectionMiddleware(next, context, logger).OnConnectionAsync);
        return listen;
    }

    /// <summary>h2 when HTTP/2 is allowed, then http/1.1 when HTTP/1.1 is: the server's preference, as UseHttps has it.</summary>
    internal static List<SslApplicationProtocol> ApplicationProtocolsFor(HttpProtocols protocols)
    {
        var offered = new List<SslApplicationProtocol>();
        if (protocols.HasFlag(HttpProtocols.Http2))
        {
            offered.Add(SslApplicationProtocol.Http2);
        }

        if (protocols.HasFlag(HttpProtocols.Http1))
        {
            offered.Add(SslApplicationProtocol.Http11);
        }

        return offered;
    }
}
