using System.IO.Pipelines;
using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Text;
using Tickets.Tests.Engine;

namespace Tickets.Tests.ServerApi;

/// <summary>
/// <see cref="TicketServerContext.CreateConnection(IDuplexPipe, EndPoint?, EndPoint?)"/>: a connection over pipes, as
/// Kestrel hands them to connection middleware, with no socket or stream on the server's side. Here the pipes are in
/// memory and the client is SslStream over their other ends.
/// </summary>
[Trait("Category", TestCategory.Unit)]
public sealed class DuplexPipeConnectionTests
{
    [Fact]
    public async Task A_handshake_and_data_run_over_a_duplex_pipe()
    {
        var toServer = new Pipe();
        var toClient = new Pipe();
        var remote = new IPEndPoint(IPAddress.Parse("192.0.2.7"), 50123);
        using var context = new TicketServerContext(new TicketServerOptions { ServerCertificate = TestCertificates.EcdsaP256, NumTickets = 3 });
        await using var connection = context.CreateConnection(new Transport(toServer.Reader, toClient.Writer), remote);
        Assert.Equal(remote, connection.RemoteEndPoint);
        Assert.Null(connection.LocalEndPoint);

        await using var client = new SslStream(new PipeStream(toClient.Reader, toServer.Writer), false, (_, _, _, _) => true);
        var serverSide = connection.HandshakeAsync();
        await client.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            EnabledSslProtocols = SslProtocols.Tls13,
            ApplicationProtocols = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11],
        }).WaitAsync(TimeSpan.FromSeconds(10));
        await serverSide.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(client.NegotiatedCipherSuite, connection.NegotiatedCipherSuite);
        Assert.Equal(SslApplicationProtocol.Http11, connection.NegotiatedApplicationProtocol);
        Assert.Equal(3, connection.IssuedTickets.Count);

        await client.WriteAsync("ping"u8.ToArray());
        var buffer = new byte[16];
        var read = await connection.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("ping", Encoding.ASCII.GetString(buffer, 0, read));
        await connection.WriteAsync("pong"u8.ToArray());
        await connection.ShutdownAsync();
        var reader = new StreamReader(client, Encoding.ASCII);
        Assert.Equal("pong", await reader.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(10)));

        // Disposing the connection completes the pipes: the transport under them learns the connection is over.
        await connection.DisposeAsync();
        var end = await toClient.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(end.IsCompleted);
    }

    /// <summary>The server's side of the pipes, as a Kestrel ConnectionContext.Transport is.</summary>
    private sealed class Transport(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }

    /// <summary>The client's side as a Stream, for SslStream.</summary>
    private sealed class PipeStream(PipeReader input, PipeWriter output) : Stream
    {
        private readonly Stream reading = input.AsStream();
        private readonly Stream writing = output.AsStream();

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush() => writing.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => writing.FlushAsync(cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => reading.Read(buffer, offset, count);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            reading.ReadAsync(buffer, cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            reading.ReadAsync(buffer, offset, count, cancellationToken);

        public override void Write(byte[] buffer, int offset, int count) => writing.Write(buffer, offset, count);

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
            writing.WriteAsync(buffer, cancellationToken);

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            writing.WriteAsync(buffer, offset, count, cancellationToken);

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                reading.Dispose();
                writing.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
