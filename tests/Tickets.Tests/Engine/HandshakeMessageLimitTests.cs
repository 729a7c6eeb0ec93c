using System.Net.Sockets;
using Tickets.Core.Protocol;
using Tickets;
using Tickets.Tests.Protocol;

namespace Tickets.Tests.Engine;

/// <summary>
/// TicketServerContext.MaxHandshakeMessageLength (≈ SSL_CTX_set_max_cert_list): a client declaring a longer message
/// gets illegal_parameter before its bytes are buffered; the default admits every real client's hello.
/// </summary>
[Trait("Category", TestCategory.Unit)]
public sealed class HandshakeMessageLimitTests
{
    // Chromium's first flight: one record holding a 1940-byte ClientHello (GREASE, a post-quantum key share).
    private static readonly byte[] ChromiumFlight = TestData.FixtureRecords("chromium");

    [Fact]
    public async Task A_hello_longer_than_the_limit_gets_illegal_parameter()
    {
        using var context = new TicketServerContext(TestCertificates.EcdsaP256) { MaxHandshakeMessageLength = 1024 };
        var (error, sent) = await HandshakeAgainst(context, ChromiumFlight);

        Assert.NotNull(error);
        Assert.Equal(AlertDescription.IllegalParameter, error.Alert);
        Assert.Equal([21, 3, 3, 0, 2, 2, (byte)AlertDescription.IllegalParameter], sent);
    }

    [Fact]
    public async Task The_default_limit_admits_the_same_hello()
    {
        using var context = new TicketServerContext(TestCertificates.EcdsaP256);
        Assert.Equal(128 * 1024, context.MaxHandshakeMessageLength);

        var (_, sent) = await HandshakeAgainst(context, ChromiumFlight);

        // The server's answer starts with a handshake record (its ServerHello), not an alert.
        Assert.True(sent.Length > 5, $"{sent.Length} bytes");
        Assert.Equal(22, sent[0]);
    }

    [Theory]
    [InlineData(TicketServerContext.MinHandshakeMessageLength - 1)]
    [InlineData(0x1000000)]
    public void Limits_outside_what_a_hello_needs_and_the_length_field_can_say_are_refused(int limit)
    {
        using var context = new TicketServerContext(TestCertificates.EcdsaP256);
        Assert.Throws<ArgumentOutOfRangeException>(() => context.MaxHandshakeMessageLength = limit);
        Assert.Equal(128 * 1024, context.MaxHandshakeMessageLength);
    }

    // Sends the flight, then closes our side once the server has answered or given up: the handshake cannot go on
    // (this client has no keys), so it ends either way, and everything the server sent is returned.
    private static async Task<(TlsHandshakeException? Error, byte[] Sent)> HandshakeAgainst(TicketServerContext context, byte[] flight)
    {
        using var pair = await SocketPair.CreateAsync();
        await using var connection = context.CreateConnection(pair.Server);
        var handshake = connection.HandshakeAsync();
        await pair.Client.SendAsync(flight, SocketFlags.None);
        var first = new byte[1];
        var read = await pair.Client.ReceiveAsync(first, SocketFlags.Peek).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(1, read);
        pair.Client.Shutdown(SocketShutdown.Send);
        var error = await Record.ExceptionAsync(() => handshake.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.True(error is null or TlsHandshakeException, error?.ToString());
        return (error as TlsHandshakeException, await pair.ReadToEndAsync());
    }
}
