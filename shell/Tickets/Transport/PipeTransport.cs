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

    private readonly Stream stream;
    private int disposed;

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

    /// <summary>
    /// Closes the socket (or stream) at once: a read or write waiting on the peer fails now instead of whenever the peer
    /// acts. Used when a peer stopped taking our bytes; <see cref="DisposeAsync"/> follows as usual.
    /// </summary>
    public void Abort()
    {
        Input.CancelPendingRead();
        Output.CancelPendingFlush();
        stream.Dispose();
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
        await stream.DisposeAsync().ConfigureAwait(false);
        await Input.CompleteAsync().ConfigureAwait(false);
        try
        {
            await Output.CompleteAsync(new IOException("The connection is closed.")).ConfigureAwait(false);
        }
        catch (Exception error) when (error is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The peer may already be gone; unflushed bytes have nowhere to go.
        }
    }
}
