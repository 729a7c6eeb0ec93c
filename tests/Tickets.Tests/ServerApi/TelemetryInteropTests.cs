using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Tickets.Core.Protocol;
using Tickets.Tests.Engine;

namespace Tickets.Tests.ServerApi;

/// <summary>
/// What a server reports while the real <c>openssl s_client</c> does a full handshake, a resumption, a handshake that
/// needs a HelloRetryRequest and one the server refuses: the meter's instruments (observed through a MeterListener on
/// this server's own meter) and the log events, which name the ticket decision and resumption verdict and hold no secret.
/// </summary>
[Trait("Category", TestCategory.Interop)]
public sealed partial class TelemetryInteropTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("tickets-telemetry-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private static async Task<TicketServer> StartAsync(TicketServerOptions options)
    {
        options.ServerCertificate = TestCertificates.EcdsaP256;
        // x25519 only: a client whose key share is for another group must be sent a HelloRetryRequest.
        options.Groups = [NamedGroup.x25519];
        var server = new TicketServer(new IPEndPoint(IPAddress.Loopback, 0), options);
        await server.StartAsync(async (connection, stopping) =>
        {
            await connection.WriteAsync(Encoding.ASCII.GetBytes(EngineTestServer.Greeting + "\n"), stopping);
            var buffer = new byte[256];
            while (await connection.ReadAsync(buffer, stopping) > 0)
            {
            }

            await connection.ShutdownAsync();
        });
        return server;
    }

    /// <summary>A full handshake saving its session, a resumption of it, a full one with a HelloRetryRequest, a TLS 1.2 client.</summary>
    private async Task RunClientsAsync(int port)
    {
        var session = Path.Combine(directory, "session.pem");
        var full = await OpenSslClient.RunAsync(port, ["-tls1_3", "-sess_out", session]);
        Assert.True(full.NewSession, full.Output);
        var resumed = await OpenSslClient.RunAsync(port, ["-tls1_3", "-sess_in", session]);
        Assert.True(resumed.Reused, resumed.Output);
        var retried = await OpenSslClient.RunAsync(port, ["-tls1_3", "-groups", "P-256:X25519"]);
        Assert.True(retried.NewSession, retried.Output);
        var old = await OpenSslClient.RunAsync(port, ["-tls1_2"]);
        Assert.NotEqual(0, old.ExitCode);
    }

    [Fact]
    public async Task The_meter_counts_handshakes_by_kind_tickets_by_reason_verdicts_and_alerts()
    {
        using var metrics = new MetricsRecorder();
        await using (var server = await StartAsync(new TicketServerOptions { MeterFactory = metrics, NumTickets = 2 }))
        {
            await RunClientsAsync(server.LocalEndPoint.Port);
        }

        var handshakes = metrics.Of("tickets.tls_handshakes");
        Assert.Equal(4, handshakes.Length);
        Assert.Equal(1, handshakes.Count(h => (string?)h["tickets.handshake.kind"] == "full" && Equals(h["tickets.hello_retry"], false)));
        Assert.Equal(1, handshakes.Count(h => (string?)h["tickets.handshake.kind"] == "full" && Equals(h["tickets.hello_retry"], true)));
        Assert.Equal(1, handshakes.Count(h => (string?)h["tickets.handshake.kind"] == "resumed" && Equals(h["tls.resumed"], true)));
        Assert.Equal(1, handshakes.Count(h => (string?)h["error.type"] == "protocol_version"));
        Assert.All(handshakes.Where(h => h["error.type"] is null), h => Assert.Equal("TLS_AES_128_GCM_SHA256", h["tls.cipher"]));

        var durations = metrics.Of("tickets.tls_handshake.duration");
        Assert.Equal(4, durations.Length);
        Assert.All(durations, duration => Assert.InRange(duration.Value, 1e-6, 10));

        // Two full handshakes of 2 tickets each; the resumption gets one.
        Assert.Equal(4, metrics.Sum("tickets.tickets_issued", t => (string?)t["tickets.decision.reason"] == "full_handshake_count"));
        Assert.Equal(1, metrics.Sum("tickets.tickets_issued", t => (string?)t["tickets.decision.reason"] == "resumed_at_most_one"));
        Assert.Equal(1, metrics.Sum("tickets.resumption_verdicts", v => (string?)v["tickets.resumption.verdict"] == "accepted"));

        bool Alert(Measured alert, string description, string direction) =>
            (string?)alert["tickets.alert.description"] == description && (string?)alert["tickets.alert.direction"] == direction;
        Assert.Equal(1, metrics.Sum("tickets.tls_alerts", a => Alert(a, "protocol_version", "sent")));
        Assert.Equal(3, metrics.Sum("tickets.tls_alerts", a => Alert(a, "close_notify", "received")));
        Assert.Equal(3, metrics.Sum("tickets.tls_alerts", a => Alert(a, "close_notify", "sent")));
        Assert.Equal(0, metrics.Observe("tickets.open_connections"));
        Assert.Equal(0, metrics.Observe("tickets.active_tls_handshakes"));
    }

    [Fact]
    public async Task The_log_names_each_step_with_its_event_id_and_holds_no_secret()
    {
        var logs = new CapturingLoggerFactory();
        var keyLog = new StringWriter();
        await using (var server = await StartAsync(new TicketServerOptions { LoggerFactory = logs, KeyLogWriter = keyLog, NumTickets = 2 }))
        {
            await RunClientsAsync(server.LocalEndPoint.Port);
        }

        Assert.Single(logs.WithId(1));
        Assert.Equal(4, logs.WithId(2).Length);
        var completed = logs.WithId(10).Select(logged => logged.Message).ToArray();
        Assert.Equal(3, completed.Length);
        Assert.Equal(2, completed.Count(message => message.Contains("handshake completed: full TLS_AES_128_GCM_SHA256 group x25519", StringComparison.Ordinal)));
        Assert.Single(completed, message => message.Contains("handshake completed: resumed", StringComparison.Ordinal));
        Assert.Single(logs.WithId(11), logged => logged.Message.Contains("(sent protocol_version)", StringComparison.Ordinal));
        Assert.Equal(
            ["full_handshake_count", "resumed_at_most_one", "full_handshake_count"],
            logs.WithId(20).Select(logged => (string?)logged.State.Single(value => value.Key == "DecisionReason").Value));
        Assert.Contains("offered PSK identity 0: accepted", Assert.Single(logs.WithId(21)).Message);
        Assert.Equal(3, logs.WithId(31).Count(logged => logged.Message.EndsWith("received alert close_notify", StringComparison.Ordinal)));
        Assert.Contains(logs.WithId(30), logged => logged.Message.EndsWith("sent alert protocol_version", StringComparison.Ordinal));
        Assert.All(logs.Events, logged => Assert.StartsWith("Tickets.", logged.Category));

        // Every secret of the three connections, in the key log's hex, is in no message and no value of any event.
        var secrets = SecretHex().Matches(keyLog.ToString()).Select(match => match.Groups[1].Value).ToArray();
        Assert.True(secrets.Length >= 15, keyLog.ToString());
        foreach (var logged in logs.Events)
        {
            var text = logged.Message + string.Concat(logged.State.Select(value => Convert.ToString(value.Value, System.Globalization.CultureInfo.InvariantCulture)));
            Assert.DoesNotContain(secrets, secret => text.Contains(secret, StringComparison.OrdinalIgnoreCase));
        }
    }

    /// <summary>"LABEL client_random secret": the secret, hex.</summary>
    [GeneratedRegex(@"^\S+ [0-9a-f]{64} ([0-9a-f]{64,})$", RegexOptions.Multiline)]
    private static partial Regex SecretHex();
}
