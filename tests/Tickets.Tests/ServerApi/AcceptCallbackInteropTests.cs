using System.Net;
using System.Text;
using Tickets.Tests.Engine;

namespace Tickets.Tests.ServerApi;

/// <summary>
/// The accept callback sets one connection's ticket count (≈ SSL_set_num_tickets) before its handshake, and the real
/// <c>openssl s_client</c> receives exactly that many tickets, while other connections keep the context's count.
/// </summary>
[Trait("Category", TestCategory.Interop)]
public sealed class AcceptCallbackInteropTests
{
    [Fact]
    public async Task The_callback_sets_each_connections_count_and_s_client_sees_it()
    {
        // Connection 1 gets 5 tickets, connection 2 none, connection 3 the context's 2.
        var counts = new Dictionary<long, int> { [1] = 5, [2] = 0 };
        await using var server = new TicketServer(new IPEndPoint(IPAddress.Loopback, 0), new TicketServerOptions
        {
            ServerCertificate = TestCertificates.EcdsaP256,
            NumTickets = 2,
            OnConnectionAccepted = accepted =>
            {
                if (counts.TryGetValue(accepted.Connection.Id, out var count))
                {
                    accepted.Connection.SetNumTickets(count);
                }
            },
        });
        var issued = new List<int>();
        await server.StartAsync(async (connection, stopping) =>
        {
            lock (issued)
            {
                issued.Add(connection.IssuedTickets.Count);
            }

            // The greeting comes after the tickets, so s_client has read them all when it sees it.
            await connection.WriteAsync(Encoding.ASCII.GetBytes(EngineTestServer.Greeting + "\n"), stopping);
            var buffer = new byte[256];
            while (await connection.ReadAsync(buffer, stopping) > 0)
            {
            }

            await connection.ShutdownAsync();
        });

        var port = server.LocalEndPoint.Port;
        var first = await OpenSslClient.RunAsync(port, ["-tls1_3"]);
        var second = await OpenSslClient.RunAsync(port, ["-tls1_3"]);
        var third = await OpenSslClient.RunAsync(port, ["-tls1_3"]);

        Assert.True(first.NewSession, first.Output);
        Assert.Equal([5, 0, 2], new[] { first.NewSessionTickets, second.NewSessionTickets, third.NewSessionTickets });
        lock (issued)
        {
            Assert.Equal([5, 0, 2], issued);
        }

        Assert.Equal(2, server.Context.GetNumTickets());
    }
}
