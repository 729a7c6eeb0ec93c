using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using Tickets;
using Tickets.Core.Protocol;

namespace Tickets.Tests.Engine;

/// <summary>The OpenSSL-style API: counts copied at creation, per-connection counts, the ticket event.</summary>
[Trait("Category", TestCategory.Unit)]
public class ConnectionApiTests
{
    /// <summary>Runs one handshake with SslStream as the client; returns the server connection afterwards.</summary>
    private static async Task HandshakeWithSslStreamAsync(TicketServerConnection connection, SocketPair pair)
    {
        var server = connection.HandshakeAsync();
        await using var client = new SslStream(new NetworkStream(pair.Client, ownsSocket: false), false, (_, _, _, _) => true);
        await client.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            EnabledSslProtocols = SslProtocols.Tls13,
        });
        await server;
    }

    [Fact]
    public void Negative_counts_are_refused_and_change_nothing()
    {
        using var context = new TicketServerContext(TestCertificates.EcdsaP256);
        Assert.Equal(2, context.GetNumTickets());
        Assert.Throws<ArgumentOutOfRangeException>(() => context.SetNumTickets(-1));
        Assert.Equal(2, context.GetNumTickets());
        context.SetNumTickets(5);
        Assert.Equal(5, context.GetNumTickets());
    }

    [Fact]
    public async Task A_connection_copies_the_count_when_created_and_keeps_its_own()
    {
        using var context = new TicketServerContext(TestCertificates.EcdsaP256);
        context.SetNumTickets(4);
        using var pair = await SocketPair.CreateAsync();
        await using var connection = context.CreateConnection(pair.Server);
        context.SetNumTickets(7);

        Assert.Equal(4, connection.GetNumTickets());
        Assert.Throws<ArgumentOutOfRangeException>(() => connection.SetNumTickets(-3));
        connection.SetNumTickets(3);
        Assert.Equal(7, context.GetNumTickets());

        var raised = new List<IssuedTicket>();
        connection.TicketIssued += (_, ticket) => raised.Add(ticket);
        await HandshakeWithSslStreamAsync(connection, pair);

        Assert.Equal(3, connection.IssuedTickets.Count);
        Assert.Equal(connection.IssuedTickets, raised);
        Assert.Equal([0UL, 1UL, 2UL], raised.Select(ticket => ticket.Nonce));
        Assert.All(raised, ticket => Assert.Equal(7200u, ticket.Lifetime));
        // Key name, IV and tag around the sealed session state.
        Assert.All(raised, ticket => Assert.True(ticket.TicketLength > 16 + 12 + 16));
        Assert.False(connection.Resumed);
        Assert.Equal(TlsCipherSuite.TLS_AES_128_GCM_SHA256, connection.NegotiatedCipherSuite);
        Assert.Equal(NamedGroup.x25519, connection.NegotiatedGroup);
        Assert.Equal(3, connection.CoreState.SentTickets);
    }

    [Fact]
    public async Task Session_timeout_sets_the_ticket_lifetime_capped_at_a_week()
    {
        using var context = new TicketServerContext(TestCertificates.EcdsaP256) { SessionTimeoutSeconds = 10_000_000 };
        using var pair = await SocketPair.CreateAsync();
        await using var connection = context.CreateConnection(pair.Server);
        await HandshakeWithSslStreamAsync(connection, pair);
        Assert.All(connection.IssuedTickets, ticket => Assert.Equal(604800u, ticket.Lifetime));
    }

    [Fact]
    public async Task Stream_view_reads_and_writes_application_data()
    {
        using var context = new TicketServerContext(TestCertificates.EcdsaP256);
        using var pair = await SocketPair.CreateAsync();
        await using var connection = context.CreateConnection(pair.Server);
        var server = connection.HandshakeAsync();
        await using var client = new SslStream(new NetworkStream(pair.Client, ownsSocket: false), false, (_, _, _, _) => true);
        await client.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            EnabledSslProtocols = SslProtocols.Tls13,
        });
        await server;

        await using var stream = connection.GetStream();
        await client.WriteAsync("ping"u8.ToArray());
        var buffer = new byte[4];
        await stream.ReadExactlyAsync(buffer);
        Assert.Equal("ping"u8.ToArray(), buffer);
        await stream.WriteAsync("pong"u8.ToArray());
        await client.ReadExactlyAsync(buffer);
        Assert.Equal("pong"u8.ToArray(), buffer);

        // Disposing the stream sends close_notify: the client sees the end of the data.
        await stream.DisposeAsync();
        Assert.Equal(0, await client.ReadAsync(buffer));
    }

    [Fact]
    public async Task Disposing_during_a_pending_read_ends_it_with_an_IOException()
    {
        using var context = new TicketServerContext(TestCertificates.EcdsaP256);
        using var pair = await SocketPair.CreateAsync();
        var connection = context.CreateConnection(pair.Server);
        await HandshakeWithSslStreamAsync(connection, pair);

        var pending = connection.ReadAsync(new byte[16]).AsTask();
        await Task.Delay(100);
        Assert.False(pending.IsCompleted);
        await connection.DisposeAsync();
        await Assert.ThrowsAsync<IOException>(() => pending);
    }
}
