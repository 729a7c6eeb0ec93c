using System.IO.Pipelines;
using System.Net.Sockets;

namespace Tickets.Transport;

/// <summary>
/// The byte pipes under one TLS connection. Reading and writing go through System.IO.Pipelines so the
/// record layer can look at buffered bytes without copying them, and hand back what it did not use.
/// </summary>
internal sealed class PipeTransport : IAsyncDisposable
{
    // A TLS record is at most 5 + 2^14 + 256 bytes; reading in chunks of that size means one read
    // usually brings a whole record, and the pipe never has to hold much more than one record.
    private const int ReadChunk = 16 * 1024 + 512;

    // Null for a transport that is pipes already (a Kestrel connection's): there is no stream to close.
    private readonly Stream? stream;
    private int disposed;

    private PipeTransport(PipeReader input, PipeWriter output)
    {
        Input = input;
        Output = output;
    }

    private PipeTransport(Stream stream)
    {
        this.stream = stream;
        // Zero-byte reads: wait for the peer's next bytes without a buffer, and rent one only when they are
        // there. An idle connection then holds no 16 KiB read buffer while it waits.
        Input = PipeReader.Create(stream, new StreamPipeReaderOptions(
            bufferSize: ReadChunk, minimumReadSize: 1024, leaveOpen: true, useZeroByteReads: true));
        Output = PipeWriter.Create(stream, new StreamPipeWriterOptions(
            minimumBufferSize: 4096, leaveOpen: true));
    }

    public PipeReader Input { get; }

    public PipeWriter Output { get; }

    /// <summary>Takes ownership of the socket: disposing the transport closes it.</summary>
    public static PipeTransport Over(Socket socket)
    {
        socket.NoDelay = true;
        return new PipeTransport(new NetworkStream(socket, ownsSocket: true));
    }

    /// <summary>Takes ownership of the stream: disposing the transport disposes it.</summary>
    public static PipeTransport Over(Stream stream) => new(stream);

    /// <summary>Reads and writes the pipes directly; disposing the transport completes both, which closes the connection under them.</summary>
    public static PipeTransport Over(IDuplexPipe pipe) => new(pipe.Input, pipe.Output);

    /// <summary>
    /// Closes the socket (or stream) at once: a read or write waiting on the peer fails now instead of whenever the peer
    /// acts. Used when a peer stopped taking our bytes; <see cref="DisposeAsync"/> follows as usual.
    /// </summary>
    public void Abort()
    {
        Input.CancelPendingRead();
        Output.CancelPendingFlush();
        if (stream is not null)
        {
            stream.Dispose();
        }
        else
        {
            // No stream to close: completing the writer with an error is how a pipe's owner learns to abort.
            try
            {
                Output.Complete(new IOException("The TLS connection was aborted."));
            }
            catch (InvalidOperationException)
            {
                // A flush is running on another thread; the cancellation above already ends it.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        // Another task may be waiting in a read (the application's ReadAsync): wake it first, so it sees a
        // cancelled read instead of a reader completed under its feet. Every write we make is flushed, so whatever is
        // still buffered here is what a failed or stalled flush left behind: the stream is closed first (aborting a
        // write still waiting on a peer that stopped reading) and the writer completed without writing, because
        // completing it normally would try to send those bytes again and wait on that same peer forever.
        Input.CancelPendingRead();
        Output.CancelPendingFlush();
        if (stream is not null)
        {
            await stream.DisposeAsync().ConfigureAwait(false);
        }

        await Input.CompleteAsync().ConfigureAwait(false);
        try
        {
            // Pipes are handed on as they are (nothing waits on a peer here), so they end cleanly: the pipe's owner
            // closes its connection gracefully after our close_notify.
            await Output.CompleteAsync(stream is null ? null : new IOException("The connection is closed.")).ConfigureAwait(false);
        }
        catch (Exception error) when (error is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The peer may already be gone; unflushed bytes have nowhere to go.
        }
    }
}
