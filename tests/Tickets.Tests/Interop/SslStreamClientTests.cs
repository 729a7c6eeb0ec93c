using System.Security.Authentication;
using System.Text;
using Tickets.Tests.Interop.Clients;

namespace Tickets.Tests.Interop;

/// <summary>
/// .NET SslStream as the client. It shows protocol, suite and data; resumption (it does resume on Linux: OpenSSL
/// underneath, session cache per target host) and ticket counts are read from the server's page and log.
/// </summary>
[Trait("Category", TestCategory.Interop)]
public sealed class SslStreamClientTests
{
    [Theory]
    [MemberData(nameof(InteropScenarios.All), MemberType = typeof(InteropScenarios))]
    public async Task Later_connections_resume_unless_no_tickets_are_issued(ServerKind kind, int? count)
    {
        await using var server = await TlsServer.StartAsync(kind, count);
        var targetHost = SslStreamClient.UniqueTargetHost();

        var runs = new List<SslStreamClient.Run>();
        for (var index = 0; index < 3; index++)
        {
            runs.Add(await SslStreamClient.FetchPageAsync(server.Port, targetHost));
        }

        Assert.All(runs, run => Assert.Equal(SslProtocols.Tls13, run.Protocol));
        var expected = TicketExpectation.Chain(count, 3);
        Assert.Equal(expected.Select(connection => connection.Resumed), runs.Select(run => HttpPage.SaysResumed(run.Page)));
        if (server is TicketsServer tickets)
        {
            // The client cannot count tickets; the server's page and log can, and must agree with OpenSSL's rule.
            Assert.Equal(expected.Select(connection => (int?)connection.Tickets), runs.Select(run => HttpPage.TicketsIssued(run.Page)));
            foreach (var (connection, run) in expected.Zip(runs))
            {
                var logged = await tickets.NextConnectionAsync();
                Assert.Equal(connection, new ClientConnection(logged.Tickets, logged.Resumed));
                Assert.Equal(run.CipherSuite.ToString(), logged.CipherSuite);
            }
        }
    }

    [Fact]
    public async Task Echo_mode_returns_application_data_and_logs_the_handshake()
    {
        await using var server = await TicketsServer.StartAsync(["--port", "0", "--num-tickets", "3"]);
        using var deadline = new CancellationTokenSource(SslStreamClient.Timeout);
        await using (var stream = await SslStreamClient.ConnectAsync(server.Port, SslStreamClient.UniqueTargetHost(), deadline.Token))
        {
            // Several writes of different sizes, including one larger than a TLS record (16 KiB), each echoed in full.
            foreach (var size in new[] { 1, 5, 1000, 40000 })
            {
                var message = Encoding.ASCII.GetBytes(new string((char)('a' + (size % 26)), size));
                await stream.WriteAsync(message, deadline.Token);
                var echoed = new byte[size];
                await stream.ReadExactlyAsync(echoed, deadline.Token);
                Assert.Equal(message, echoed);
            }

            await stream.ShutdownAsync();
        }

        var logged = await server.NextConnectionAsync();
        Assert.False(logged.Resumed);
        Assert.Equal(3, logged.Tickets);
        Assert.Equal("127.0.0.1", logged.Remote[..logged.Remote.LastIndexOf(':')]);
    }
}
