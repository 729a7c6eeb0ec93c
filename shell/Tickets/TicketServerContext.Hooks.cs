using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Tickets.Diagnostics;

namespace Tickets;

/// <summary>
/// Where the context's connections report to (logging and metrics), and the callback a server runs before each handshake.
/// </summary>
public sealed partial class TicketServerContext
{
    private volatile ILoggerFactory? loggerFactory;
    private volatile ILogger serverLogger = NullLogger.Instance;
    private volatile ILogger connectionLogger = NullLogger.Instance;
    private volatile Action<TicketConnectionAcceptedContext>? onConnectionAccepted;
    private volatile IMeterFactory? meterFactory;
    private volatile TicketsMetrics metrics = TicketsMetrics.Shared;

    /// <summary>
    /// Where this context's server and connections log (see <see cref="TicketServerOptions.LoggerFactory"/>); null, the
    /// default, logs nothing. Connections created afterwards use it.
    /// </summary>
    public ILoggerFactory? LoggerFactory
    {
        get => loggerFactory;
        set
        {
            loggerFactory = value;
            serverLogger = value?.CreateLogger(TicketsDiagnostics.ServerLogCategory) ?? NullLogger.Instance;
            connectionLogger = value?.CreateLogger(TicketsDiagnostics.ConnectionLogCategory) ?? NullLogger.Instance;
        }
    }

    /// <summary>
    /// Where the meter "Tickets" comes from (see <see cref="TicketServerOptions.MeterFactory"/>); null, the default, uses
    /// one meter shared by the whole process. Connections created afterwards report to it.
    /// </summary>
    public IMeterFactory? MeterFactory
    {
        get => meterFactory;
        set
        {
            meterFactory = value;
            metrics = TicketsMetrics.For(value);
        }
    }

    /// <summary>The instruments connections created now report to.</summary>
    internal TicketsMetrics Metrics => metrics;

    /// <summary>The logger of server events (category Tickets.TicketServer).</summary>
    internal ILogger ServerLogger => serverLogger;

    /// <summary>The logger of connection events (category Tickets.TicketServerConnection).</summary>
    internal ILogger ConnectionLogger => connectionLogger;

    /// <summary>
    /// Called by a <see cref="TicketServer"/> for every connection it accepts, before the handshake (see
    /// <see cref="TicketServerOptions.OnConnectionAccepted"/>). Null: none.
    /// </summary>
    public Action<TicketConnectionAcceptedContext>? OnConnectionAccepted
    {
        get => onConnectionAccepted;
        set => onConnectionAccepted = value;
    }
}
