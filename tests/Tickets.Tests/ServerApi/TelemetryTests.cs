using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Tickets.Tests.Engine;

namespace Tickets.Tests.ServerApi;

/// <summary>
/// In-process telemetry: the open-connection gauge, the handshake activity, and the escaping of what a client chose
/// (here its certificate's subject) in the log.
/// </summary>
[Trait("Category", TestCategory.Unit)]
public sealed class TelemetryTests
{
    private static readonly IPEndPoint AnyLoopbackPort = new(IPAddress.Loopback, 0);

    [Fact]
    public async Task Open_connections_are_observed_while_they_are_open()
    {
        using var metrics = new MetricsRecorder();
        var serving = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = new TicketServer(AnyLoopbackPort, new TicketServerOptions
        {
            ServerCertificate = TestCertificates.EcdsaP256,
            MeterFactory = metrics,
        });
        await server.StartAsync(async (connection, stopping) =>
        {
            serving.TrySetResult();
            while (await connection.ReadAsync(new byte[16], stopping) > 0)
            {
            }
        });

        Assert.Equal(0, metrics.Observe("tickets.open_connections"));
        await using (var client = await DotNetClient.ConnectAsync(server.LocalEndPoint.Port))
        {
            await serving.Task.WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Equal(1, metrics.Observe("tickets.open_connections"));
        }

        await server.StopAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(0, metrics.Observe("tickets.open_connections"));
        Assert.Equal("full", Assert.Single(metrics.Of("tickets.tls_handshakes"))["tickets.handshake.kind"]);
    }

    [Fact]
    public async Task A_close_notify_sent_with_the_last_response_is_counted()
    {
        using var metrics = new MetricsRecorder();
        var served = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = new TicketServer(AnyLoopbackPort, new TicketServerOptions
        {
            ServerCertificate = TestCertificates.EcdsaP256,
            MeterFactory = metrics,
        });
        await server.StartAsync(async (connection, stopping) =>
        {
            await connection.WriteAndShutdownAsync("bye\n"u8.ToArray(), stopping);
            served.TrySetResult();
        });

        await using var client = await DotNetClient.ConnectAsync(server.LocalEndPoint.Port);
        await served.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(1, metrics.Sum("tickets.tls_alerts", alert =>
            (string?)alert["tickets.alert.description"] == "close_notify" && (string?)alert["tickets.alert.direction"] == "sent"));
    }

    [Fact]
    public async Task Each_handshake_runs_in_an_activity_with_the_tls_tags()
    {
        var activities = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == TicketsDiagnostics.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activities.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        await using var server = new TicketServer(AnyLoopbackPort, new TicketServerOptions { ServerCertificate = TestCertificates.EcdsaP256 });
        var served = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await server.StartAsync(async (connection, _) =>
        {
            await connection.ShutdownAsync();
            served.TrySetResult();
        });

        await using var client = await DotNetClient.ConnectAsync(server.LocalEndPoint.Port);
        // The client is done before the server has sent its tickets: stopping now would cancel that handshake.
        await served.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await server.StopAsync().WaitAsync(TimeSpan.FromSeconds(10));

        // Other tests' servers report to the same source: ours is the one with our client's port.
        var ours = Assert.Single(activities, activity => Equals(activity.GetTagItem("client.port"), client.LocalEndPoint.Port));
        Assert.Equal(TicketsDiagnostics.HandshakeActivityName, ours.OperationName);
        Assert.Equal(ActivityKind.Server, ours.Kind);
        Assert.Equal(ActivityStatusCode.Ok, ours.Status);
        Assert.Equal("full", ours.GetTagItem("tickets.handshake.kind"));
        Assert.Equal(false, ours.GetTagItem("tls.resumed"));
        Assert.Equal("1.3", ours.GetTagItem("tls.protocol.version"));
        Assert.Equal(client.Tls.NegotiatedCipherSuite.ToString(), ours.GetTagItem("tls.cipher"));
        Assert.Equal("localhost", ours.GetTagItem("tls.client.server_name"));
        Assert.Equal(2, ours.GetTagItem("tickets.tickets_issued"));
    }

    [Fact]
    public async Task A_client_certificate_subject_is_logged_escaped()
    {
        // A subject that, written raw, would end the line, forge another one and drive the operator's terminal.
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var subject = new X500DistinguishedNameBuilder();
        subject.AddCommonName("evil\nconn 99 forged \"line\" \u001b[2J");
        var request = new CertificateRequest(subject.Build(), key, HashAlgorithmName.SHA256);
        using var clientCertificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));

        var logs = new CapturingLoggerFactory();
        await using var server = new TicketServer(AnyLoopbackPort, new TicketServerOptions
        {
            ServerCertificate = TestCertificates.EcdsaP256,
            ClientCertificateMode = ClientCertificateMode.Request,
            LoggerFactory = logs,
        });
        await server.StartAsync(async (connection, _) => await connection.ShutdownAsync());

        await using var client = await DotNetClient.ConnectAsync(server.LocalEndPoint.Port, clientCertificate: clientCertificate);
        var identified = await logs.WaitForAsync(13);
        // .NET quotes the value and doubles its quotes; every quote, the newline and the ESC byte come out escaped.
        Assert.Contains(@"subject ""CN=\""evil\nconn 99 forged \""\""line\""\"" \x1b[2J\"""" verified", identified.Message);
        Assert.DoesNotContain('\n', identified.Message);
        Assert.DoesNotContain('\u001b', identified.Message);
        Assert.Contains("verified=False", identified.Message);
        Assert.Contains("server name \"localhost\"", identified.Message);
    }
}
