using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Text;
using Tickets.Tests.Engine;

namespace Tickets.Tests.ServerApi;

/// <summary>
/// The server's life: started, serving with each connection's endpoints known, configured or refused before its
/// handshake by <see cref="TicketServerOptions.OnConnectionAccepted"/>, and stopped by <see cref="TicketServer.StopAsync"/>,
/// which lets polite connections finish and aborts the rest once the shutdown timeout has passed.
/// </summary>
[Trait("Category", TestCategory.Unit)]
public sealed class ServerLifecycleTests
{
    private static readonly IPEndPoint AnyLoopbackPort = new(IPAddress.Loopback, 0);

    private static TicketServerOptions Options(Action<TicketServerOptions>? configure = null)
    {
        var options = new TicketServerOptions { ServerCertificate = TestCertificates.EcdsaP256, HandshakeTimeout = TimeSpan.FromSeconds(5) };
        configure?.Invoke(options);
        return options;
    }

    [Fact]
    public async Task A_connection_knows_both_its_endpoints()
    {
        var seen = new TaskCompletionSource<(EndPoint? Remote, EndPoint? Local)>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = new TicketServer(AnyLoopbackPort, Options());
        await server.StartAsync(async (connection, _) =>
        {
            seen.TrySetResult((connection.RemoteEndPoint, connection.LocalEndPoint));
            await connection.ShutdownAsync();
        });
        Assert.NotEqual(0, server.LocalEndPoint.Port);

        await using var client = await DotNetClient.ConnectAsync(server.LocalEndPoint.Port);
        var (remote, local) = await seen.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(client.LocalEndPoint, remote);
        Assert.Equal(server.LocalEndPoint, local);

        // Logs written after the stop may still name the address.
        var bound = server.LocalEndPoint;
        await server.StopAsync();
        Assert.Equal(bound, server.LocalEndPoint);
    }

    [Fact]
    public async Task The_server_is_started_once_and_its_address_is_known_only_then()
    {
        await using var server = new TicketServer(AnyLoopbackPort, Options());
        Assert.Throws<InvalidOperationException>(() => server.LocalEndPoint);
        await server.StartAsync((_, _) => Task.CompletedTask);
        await Assert.ThrowsAsync<InvalidOperationException>(() => server.StartAsync((_, _) => Task.CompletedTask));
    }

    [Fact]
    public async Task Stop_lets_a_connection_that_honours_its_token_close_politely()
    {
        var serving = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = new TicketServer(AnyLoopbackPort, Options(options => options.ShutdownTimeout = TimeSpan.FromSeconds(30)));
        await server.StartAsync(async (connection, stopping) =>
        {
            serving.TrySetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, stopping);
            }
            catch (OperationCanceledException)
            {
                await connection.WriteAsync("bye\n"u8.ToArray());
                await connection.ShutdownAsync();
            }
        });

        await using var client = await DotNetClient.ConnectAsync(server.LocalEndPoint.Port);
        await serving.Task.WaitAsync(TimeSpan.FromSeconds(10));
        // Well within the 30 s timeout: the handler ended as soon as it was told to.
        await server.StopAsync().WaitAsync(TimeSpan.FromSeconds(10));

        var reader = new StreamReader(client.Tls, Encoding.ASCII);
        Assert.Equal("bye", await reader.ReadLineAsync());
        // close_notify: a clean end of stream, not an error.
        Assert.Null(await reader.ReadLineAsync());
        Assert.Equal(0, server.OpenConnections);
    }

    [Fact]
    public async Task Stop_aborts_a_connection_still_open_after_the_shutdown_timeout()
    {
        var logs = new CapturingLoggerFactory();
        var serving = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handlerEnded = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = new TicketServer(AnyLoopbackPort, Options(options =>
        {
            options.ShutdownTimeout = TimeSpan.FromMilliseconds(300);
            options.LoggerFactory = logs;
        }));
        await server.StartAsync(async (connection, _) =>
        {
            serving.TrySetResult();
            try
            {
                // A straggler: it ignores the server's token and waits on a client that never writes.
                var read = await connection.ReadAsync(new byte[100], CancellationToken.None);
                handlerEnded.TrySetResult(null);
            }
            catch (Exception error)
            {
                handlerEnded.TrySetResult(error);
                throw;
            }
        });

        await using var client = await DotNetClient.ConnectAsync(server.LocalEndPoint.Port);
        await serving.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(1, server.OpenConnections);

        await server.StopAsync().WaitAsync(TimeSpan.FromSeconds(10));

        // The read the handler waited on failed when the connection was aborted, and the client's connection ended.
        var failure = await handlerEnded.Task.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(failure is IOException or ObjectDisposedException, failure?.ToString() ?? "the handler's read returned");
        Assert.Equal(0, server.OpenConnections);
        try
        {
            Assert.Equal(0, await client.Tls.ReadAsync(new byte[10]).AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
        }
        catch (IOException)
        {
            // Or the client noticed the missing close_notify: ended either way.
        }

        var aborted = Assert.Single(logs.WithId(7));
        Assert.Equal(1, aborted.State.Single(value => value.Key == "Count").Value);
    }

    [Fact]
    public async Task A_cancelled_stop_aborts_at_once_whatever_the_timeout()
    {
        var serving = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = new TicketServer(AnyLoopbackPort, Options(options => options.ShutdownTimeout = Timeout.InfiniteTimeSpan));
        await server.StartAsync(async (connection, _) =>
        {
            serving.TrySetResult();
            await connection.ReadAsync(new byte[100], CancellationToken.None);
        });

        await using var client = await DotNetClient.ConnectAsync(server.LocalEndPoint.Port);
        await serving.Task.WaitAsync(TimeSpan.FromSeconds(10));
        using var impatient = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await server.StopAsync(impatient.Token).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(0, server.OpenConnections);
    }

    [Fact]
    public async Task The_accept_callback_refuses_a_connection_before_any_tls_byte()
    {
        var logs = new CapturingLoggerFactory();
        var handled = 0;
        await using var server = new TicketServer(AnyLoopbackPort, Options(options =>
        {
            options.LoggerFactory = logs;
            options.OnConnectionAccepted = accepted =>
            {
                Assert.False(accepted.IsRefused);
                accepted.Refuse("blocked by test");
            };
        }));
        await server.StartAsync((_, _) =>
        {
            Interlocked.Increment(ref handled);
            return Task.CompletedTask;
        });

        // The server closes without a ServerHello: the client's handshake fails.
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => DotNetClient.ConnectAsync(server.LocalEndPoint.Port));
        Assert.True(failure is IOException or AuthenticationException, failure.ToString());
        var refused = await logs.WaitForAsync(3);
        Assert.Contains("refused: blocked by test", refused.Message);
        Assert.Equal(0, handled);
        Assert.Empty(logs.WithId(10));
    }

    [Fact]
    public async Task The_accept_callback_sees_connections_the_limit_refused()
    {
        var refusedByServer = new TaskCompletionSource<TicketConnectionAcceptedContext>(TaskCreationOptions.RunContinuationsAsynchronously);
        var serving = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = new TicketServer(AnyLoopbackPort, Options(options =>
        {
            options.MaxConnections = 1;
            options.OnConnectionAccepted = accepted =>
            {
                if (accepted.RefusedByServer)
                {
                    refusedByServer.TrySetResult(accepted);
                }
            };
        }));
        await server.StartAsync(async (connection, stopping) =>
        {
            serving.TrySetResult();
            await connection.ReadAsync(new byte[10], stopping);
        });

        await using var first = await DotNetClient.ConnectAsync(server.LocalEndPoint.Port);
        await serving.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await Assert.ThrowsAnyAsync<Exception>(() => DotNetClient.ConnectAsync(server.LocalEndPoint.Port));
        var accepted = await refusedByServer.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(accepted.IsRefused);
        Assert.Equal("1 connections open", accepted.RefusalReason);
    }

    [Fact]
    public async Task A_throwing_accept_callback_refuses_the_connection_and_the_server_goes_on()
    {
        var calls = 0;
        await using var server = new TicketServer(AnyLoopbackPort, Options(options => options.OnConnectionAccepted = _ =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                throw new InvalidOperationException("callback bug");
            }
        }));
        await server.StartAsync(async (connection, _) => await connection.ShutdownAsync());

        await Assert.ThrowsAnyAsync<Exception>(() => DotNetClient.ConnectAsync(server.LocalEndPoint.Port));
        await using var second = await DotNetClient.ConnectAsync(server.LocalEndPoint.Port);
        Assert.Equal(SslProtocols.Tls13, second.Tls.SslProtocol);
    }

    [Fact]
    public async Task A_selection_callback_picks_the_certificate_by_server_name()
    {
        using var first = ServerCertificateContext.Create(TestCertificates.EcdsaP256);
        using var second = ServerCertificateContext.Create(TestCertificates.RsaPss);
        var asked = new List<string?>();
        await using var server = new TicketServer(AnyLoopbackPort, new TicketServerOptions
        {
            ServerCertificateSelectionCallback = (_, name) =>
            {
                lock (asked)
                {
                    asked.Add(name);
                }

                return name switch { "one.test" => first, "two.test" => second, _ => null };
            },
        });
        await server.StartAsync(async (connection, _) => await connection.ShutdownAsync());

        await using (var one = await DotNetClient.ConnectAsync(server.LocalEndPoint.Port, "one.test"))
        {
            Assert.Equal(TestCertificates.EcdsaP256.Thumbprint, one.Tls.RemoteCertificate!.GetCertHashString());
        }

        await using (var two = await DotNetClient.ConnectAsync(server.LocalEndPoint.Port, "two.test"))
        {
            Assert.Equal(TestCertificates.RsaPss.Thumbprint, two.Tls.RemoteCertificate!.GetCertHashString());
        }

        // No certificate for this name: the handshake ends (unrecognized_name).
        await Assert.ThrowsAnyAsync<Exception>(() => DotNetClient.ConnectAsync(server.LocalEndPoint.Port, "three.test"));
        lock (asked)
        {
            Assert.Equal(["one.test", "two.test", "three.test"], asked);
        }
    }
}
