using System.Net.Sockets;
using Tickets.Core.Protocol;
using Tickets;

namespace Tickets.Tests.Engine;

/// <summary>
/// Bad input from a raw client: the server answers with the right fatal alert, closes, and
/// HandshakeAsync throws <see cref="TlsHandshakeException"/> naming that alert.
/// </summary>
[Trait("Category", TestCategory.Interop)]
public class ProtocolErrorTests
{
    private static async Task<(TlsHandshakeException Error, byte[] Sent)> HandshakeAgainst(byte[] clientBytes)
    {
        using var context = new TicketServerContext(TestCertificates.EcdsaP256);
        using var pair = await SocketPair.CreateAsync();
        await using var connection = context.CreateConnection(pair.Server);
        var handshake = connection.HandshakeAsync();
        await pair.Client.SendAsync(clientBytes, SocketFlags.None);
        var error = await Assert.ThrowsAsync<TlsHandshakeException>(() => handshake);
        return (error, await pair.ReadToEndAsync());
    }

    private static byte[] FatalAlert(AlertDescription alert) => [21, 3, 3, 0, 2, 2, (byte)alert];

    [Fact]
    public async Task Record_longer_than_the_ciphertext_limit_is_record_overflow()
    {
        // Handshake record announcing 2^14 + 257 bytes.
        var (error, sent) = await HandshakeAgainst([22, 3, 1, 0x41, 0x01]);
        Assert.Equal(AlertDescription.RecordOverflow, error.Alert);
        Assert.Equal(FatalAlert(AlertDescription.RecordOverflow), sent);
    }

    [Fact]
    public async Task Plaintext_record_over_two_to_the_fourteen_is_record_overflow()
    {
        var record = new byte[5 + (1 << 14) + 1];
        record[0] = 22;
        record[1] = 3;
        record[2] = 1;
        record[3] = 0x40;
        record[4] = 0x01;
        var (error, sent) = await HandshakeAgainst(record);
        Assert.Equal(AlertDescription.RecordOverflow, error.Alert);
        Assert.Equal(FatalAlert(AlertDescription.RecordOverflow), sent);
    }

    [Fact]
    public async Task Application_data_before_the_handshake_is_unexpected_message()
    {
        var (error, sent) = await HandshakeAgainst([23, 3, 3, 0, 3, 1, 2, 3]);
        Assert.Equal(AlertDescription.UnexpectedMessage, error.Alert);
        Assert.Equal(FatalAlert(AlertDescription.UnexpectedMessage), sent);
    }

    [Fact]
    public async Task Handshake_message_other_than_client_hello_first_is_unexpected_message()
    {
        // A Finished message with 32 bytes of verify_data, in a plaintext record.
        var message = new byte[4 + 32];
        message[0] = (byte)HandshakeType.Finished;
        message[3] = 32;
        byte[] record = [22, 3, 1, 0, (byte)message.Length, .. message];
        var (error, sent) = await HandshakeAgainst(record);
        Assert.Equal(AlertDescription.UnexpectedMessage, error.Alert);
        Assert.Equal(FatalAlert(AlertDescription.UnexpectedMessage), sent);
    }

    [Fact]
    public async Task Garbled_client_hello_is_decode_error()
    {
        byte[] message = [(byte)HandshakeType.ClientHello, 0, 0, 4, 3, 3, 0, 0];
        byte[] record = [22, 3, 1, 0, (byte)message.Length, .. message];
        var (error, sent) = await HandshakeAgainst(record);
        Assert.Equal(AlertDescription.DecodeError, error.Alert);
        Assert.Equal(FatalAlert(AlertDescription.DecodeError), sent);
    }

    [Fact]
    public async Task Change_cipher_spec_before_the_client_hello_is_unexpected_message()
    {
        var (error, sent) = await HandshakeAgainst([20, 3, 3, 0, 1, 1]);
        Assert.Equal(AlertDescription.UnexpectedMessage, error.Alert);
        Assert.Equal(FatalAlert(AlertDescription.UnexpectedMessage), sent);
    }

    [Fact]
    public async Task Change_cipher_spec_with_another_value_is_unexpected_message()
    {
        // After a real ClientHello, where the compatibility record (value 1) would be ignored. Our alert
        // is encrypted by then, so only the exception tells which one was sent.
        var hello = Tickets.Tests.Protocol.TestData.FixtureRecords("openssl-s_client");
        var (error, _) = await HandshakeAgainst([.. hello, 20, 3, 3, 0, 1, 2]);
        Assert.Equal(AlertDescription.UnexpectedMessage, error.Alert);
        Assert.False(error.SentByPeer);
    }

    [Fact]
    public async Task Alert_from_the_client_ends_the_handshake_without_an_answer()
    {
        var (error, sent) = await HandshakeAgainst([21, 3, 3, 0, 2, 2, (byte)AlertDescription.HandshakeFailure]);
        Assert.True(error.SentByPeer);
        Assert.Equal(AlertDescription.HandshakeFailure, error.Alert);
        Assert.Empty(sent);
    }

    [Fact]
    public async Task Client_hello_split_across_records_is_read_whole()
    {
        // The real openssl fixture cut into two records. The server must get as far as answering with a
        // ServerHello (handshake record, type 22).
        var hello = Tickets.Tests.Protocol.TestData.FixtureHandshake("openssl-s_client");
        var half = hello.Length / 2;
        byte[] bytes =
        [
            22, 3, 1, (byte)(half >> 8), (byte)half, .. hello[..half],
            22, 3, 1, (byte)((hello.Length - half) >> 8), (byte)(hello.Length - half), .. hello[half..],
        ];
        using var context = new TicketServerContext(TestCertificates.EcdsaP256);
        using var pair = await SocketPair.CreateAsync();
        await using var connection = context.CreateConnection(pair.Server);
        var handshake = connection.HandshakeAsync();
        await pair.Client.SendAsync(bytes, SocketFlags.None);
        var first = new byte[5];
        var read = await pair.Client.ReceiveAsync(first, SocketFlags.None);
        Assert.Equal(5, read);
        Assert.Equal(22, first[0]);
        pair.Client.Shutdown(SocketShutdown.Both);
        await Assert.ThrowsAsync<TlsHandshakeException>(() => handshake);
    }

    [Fact]
    public async Task Cancellation_stops_a_handshake_waiting_for_the_client()
    {
        using var context = new TicketServerContext(TestCertificates.EcdsaP256);
        using var pair = await SocketPair.CreateAsync();
        await using var connection = context.CreateConnection(pair.Server);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => connection.HandshakeAsync(cancel.Token));
    }

    [Fact]
    public async Task A_failing_client_does_not_stop_the_server()
    {
        await using var server = new EngineTestServer();
        using (var raw = new TcpClient())
        {
            await raw.ConnectAsync("127.0.0.1", server.Port);
            await raw.GetStream().WriteAsync(new byte[] { 99, 3, 3, 0, 1, 0 });
            var buffer = new byte[16];
            _ = await raw.GetStream().ReadAsync(buffer);
        }

        Assert.Contains(await server.WaitForLogAsync(1), line => line.Contains("handshake failed"));
        var run = await OpenSslClient.RunAsync(server.Port, ["-tls1_3"]);
        Assert.Contains(EngineTestServer.Greeting, run.Output);
    }
}
