using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.Extensions.Logging;

namespace Tickets.AspNetCore;

/// <summary>
/// The connection middleware <c>UseTickets</c> puts in front of Kestrel's HTTP handling, as <c>UseHttps</c> puts its
/// own: for each accepted connection it runs the Tickets handshake over Kestrel's transport pipes, sets the TLS
/// features, swaps <see cref="ConnectionContext.Transport"/> for the decrypted application data, and when Kestrel is
/// done with the connection sends close_notify and disposes it.
/// </summary>
internal sealed class TicketsConnectionMiddleware(ConnectionDelegate next, TicketServerContext context, ILogger logger)
{
    /// <summary>Serves one Kestrel connection. A failed handshake ends only this connection, logged, never thrown.</summary>
    public async Task OnConnectionAsync(ConnectionContext kestrel)
    {
        // Return to Kestrel's accept loop before any work on this connection, as its HTTPS middleware does.
        await Task.Yield();

        var connection = context.CreateConnection(kestrel.Transport, kestrel.RemoteEndPoint, kestrel.LocalEndPoint);
        await using (connection.ConfigureAwait(false))
        {
            if (Refused(connection))
            {
                return;
            }

            try
            {
                // Kestrel's token fires when the client goes away or the server aborts the connection; the
                // connection's own HandshakeTimeout bounds a client that stays and says nothing.
                await connection.HandshakeAsync(kestrel.ConnectionClosed).ConfigureAwait(false);
            }
            catch (Exception error) when (error is TlsHandshakeException or TimeoutException or OperationCanceledException)
            {
                // The connection has sent its alert (if any), closed, and logged the failure at its own category.
                Log.HandshakeFailed(logger, kestrel.ConnectionId, error.GetType().Name, null);
                return;
            }

            await ServeApplicationAsync(kestrel, connection).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Runs <see cref="TicketServerOptions.OnConnectionAccepted"/> for this connection, as a <see cref="TicketServer"/>
    /// would: it may set this connection's ticket count or refuse it. An exception from it refuses the connection.
    /// </summary>
    private bool Refused(TicketServerConnection connection)
    {
        if (context.OnConnectionAccepted is not { } callback)
        {
            return false;
        }

        var accepted = new TicketConnectionAcceptedContext(connection, refusedBecause: null);
        try
        {
            callback(accepted);
        }
        catch (Exception error)
        {
            accepted.Refuse($"OnConnectionAccepted threw {error.GetType().Name}: {PeerText.Escape(error.Message)}");
        }

        if (accepted.RefusalReason is { } reason)
        {
            Log.Refused(logger, connection.Id, connection.RemoteEndPoint?.ToString() ?? "unknown", reason, null);
            return true;
        }

        return false;
    }

    private async Task ServeApplicationAsync(ConnectionContext kestrel, TicketServerConnection connection)
    {
        using var features = new TicketsTlsFeatures(connection);
        kestrel.Features.Set<ITlsConnectionFeature>(features);
        kestrel.Features.Set<ITlsHandshakeFeature>(features);
        kestrel.Features.Set<ITlsApplicationProtocolFeature>(features);
        kestrel.Features.Set<ITicketsConnectionFeature>(features);

        var pool = kestrel.Features.Get<IMemoryPoolFeature>()?.MemoryPool;
        var stream = connection.GetStream();
        // leaveOpen: the pipes end when Kestrel completes them; the connection ends below, after close_notify.
        var input = PipeReader.Create(stream, new StreamPipeReaderOptions(pool, leaveOpen: true));
        var output = PipeWriter.Create(stream, new StreamPipeWriterOptions(pool, leaveOpen: true));
        var transport = kestrel.Transport;
        kestrel.Transport = new DecryptedPipe(input, output);
        try
        {
            await next(kestrel).ConfigureAwait(false);
        }
        finally
        {
            kestrel.Transport = transport;
            await input.CompleteAsync().ConfigureAwait(false);
            await output.CompleteAsync().ConfigureAwait(false);
            // ≈ SSL_shutdown: tell the client we are done (it does nothing when the transport is already gone).
            await connection.ShutdownAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The application data as Kestrel's HTTP layer reads and writes it.</summary>
    private sealed class DecryptedPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input => input;

        public PipeWriter Output => output;
    }

    private static class Log
    {
        public static readonly Action<ILogger, string, string, Exception?> HandshakeFailed = LoggerMessage.Define<string, string>(
            LogLevel.Debug, new EventId(1, "TicketsHandshakeFailed"), "Kestrel connection {ConnectionId}: the Tickets handshake failed ({Failure}); connection closed");

        public static readonly Action<ILogger, long, string, string, Exception?> Refused = LoggerMessage.Define<long, string, string>(
            LogLevel.Information, new EventId(2, "TicketsConnectionRefused"), "Tickets connection {TicketsConnectionId} from {RemoteEndPoint} refused: {Reason}");
    }
}
