using System.Runtime.Versioning;
using Tickets.Tests.Interop;

namespace Tickets.Tests.Fleet;

/// <summary>
/// The fleet with real clients: `tickets serve --redis` processes sharing one redis-server, and openssl s_client
/// carrying sessions from one to another.
/// </summary>
[UnsupportedOSPlatform("windows")]
[Trait("Category", TestCategory.Fleet)]
public sealed class FleetInteropTests : IAsyncLifetime
{
    // How long to wait for a log line before failing the test with the server's output; not an assertion on timing.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private FleetServers fleet = null!;

    public async Task InitializeAsync() => fleet = await FleetServers.StartAsync();

    public async Task DisposeAsync() => await fleet.DisposeAsync();

    [Fact]
    public async Task A_stateful_ticket_from_A_resumes_on_B()
    {
        var a = await fleet.MemberAsync("--no-ticket");
        var b = await fleet.MemberAsync("--no-ticket");
        var session = fleet.SessionFile("stateful");

        var first = await FleetClient.ConnectAsync(a, null, session);
        var second = await FleetClient.ConnectAsync(b, session, fleet.SessionFile("stateful-b"));

        Assert.False(first.Reused);
        Assert.True(first.Saved);
        Assert.True(second.Reused, second.Output.Describe());
        // The ticket was an id into redis: a 16-byte id on the wire, the session itself sealed in redis.
        Assert.Contains("TLS session ticket:", first.Output.StandardOutput);
    }

    [Fact]
    public async Task A_member_given_the_kek_by_environment_shares_sessions_with_one_given_a_file()
    {
        var a = await fleet.MemberAsync("--no-ticket");
        var b = await fleet.MemberWithKekInEnvironmentAsync("--no-ticket");
        var session = fleet.SessionFile("env");

        Assert.True((await FleetClient.ConnectAsync(b, null, session)).Saved);
        var onA = await FleetClient.ConnectAsync(a, session, fleet.SessionFile("env-a"));

        Assert.True(onA.Reused, onA.Output.Describe());
    }

    [Fact]
    public async Task A_stateless_ticket_from_A_resumes_on_B_after_A_rotated_the_keys()
    {
        // A rotates every 2 s; B never rotates on its own, it follows. Polls every second, so new keys seal 2 s after
        // their rotation.
        var a = await fleet.MemberAsync("--ticket-key-rotation", "2", "--fleet-poll", "1");
        var b = await fleet.MemberAsync("--ticket-key-rotation", "0", "--fleet-poll", "1");
        var beforeRotation = fleet.SessionFile("before");
        Assert.True((await FleetClient.ConnectAsync(a, null, beforeRotation)).Saved);

        var (_, rotated) = await a.Process.WaitForLineAsync(line => line.Contains("ticket keys: wrote generation 2", StringComparison.Ordinal), Patience);
        await a.Process.WaitForLineAsync(line => line.Contains("ticket keys: a new key seals now", StringComparison.Ordinal), Patience, rotated + 1);
        var afterRotation = fleet.SessionFile("after");
        Assert.True((await FleetClient.ConnectAsync(a, null, afterRotation)).Saved);

        Assert.True((await FleetClient.ConnectAsync(b, beforeRotation, fleet.SessionFile("b1"))).Reused);
        Assert.True((await FleetClient.ConnectAsync(b, afterRotation, fleet.SessionFile("b2"))).Reused);
        Assert.DoesNotContain(b.Process.OutputLines, line => line.Contains("wrote generation", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_single_use_ticket_resumes_once_across_A_and_B_and_then_never(bool stateful)
    {
        string[] flags = stateful ? ["--single-use-tickets", "--no-ticket"] : ["--single-use-tickets"];
        var a = await fleet.MemberAsync(flags);
        var b = await fleet.MemberAsync(flags);
        var session = fleet.SessionFile("single");
        Assert.True((await FleetClient.ConnectAsync(a, null, session)).Saved);

        var onB = await FleetClient.ConnectAsync(b, session, fleet.SessionFile("single-b"));
        var againOnA = await FleetClient.ConnectAsync(a, session, fleet.SessionFile("single-a"));
        var againOnB = await FleetClient.ConnectAsync(b, session, fleet.SessionFile("single-b2"));

        Assert.True(onB.Reused, onB.Output.Describe());
        Assert.False(againOnA.Reused);
        Assert.False(againOnB.Reused);
    }

    [Fact]
    public async Task With_redis_stopped_handshakes_go_on_in_full_and_resumption_returns_with_redis()
    {
        var a = await fleet.MemberAsync("--no-ticket");
        var b = await fleet.MemberAsync("--no-ticket");
        var beforeOutage = fleet.SessionFile("before-outage");
        Assert.True((await FleetClient.ConnectAsync(a, null, beforeOutage)).Saved);

        await fleet.Redis.StopAsync();
        // Every connection still completes: in full, since the sessions are out of reach.
        var offeredOnB = await FleetClient.ConnectAsync(b, beforeOutage, fleet.SessionFile("outage-b"));
        var duringOutage = fleet.SessionFile("during-outage");
        var freshOnA = await FleetClient.ConnectAsync(a, null, duringOutage);
        var againOnA = await FleetClient.ConnectAsync(a, null, fleet.SessionFile("outage-a2"));
        Assert.False(offeredOnB.Reused);
        Assert.False(freshOnA.Reused);
        Assert.False(againOnA.Reused);
        // A ticket issued meanwhile is kept in A's own cache: it still resumes on A.
        Assert.True(freshOnA.Saved);
        Assert.True((await FleetClient.ConnectAsync(a, duringOutage, fleet.SessionFile("outage-a3"))).Reused);
        await a.Process.WaitForLineAsync(line => line.Contains("redis unavailable", StringComparison.Ordinal), Patience);

        await fleet.Redis.StartAgainAsync();
        await a.Process.WaitForLineAsync(line => line.Contains("redis back", StringComparison.Ordinal), Patience);
        await b.Process.WaitForLineAsync(line => line.Contains("redis back", StringComparison.Ordinal), Patience);
        var afterOutage = fleet.SessionFile("after-outage");
        Assert.True((await FleetClient.ConnectAsync(a, null, afterOutage)).Saved);
        var resumedOnB = await FleetClient.ConnectAsync(b, afterOutage, fleet.SessionFile("after-b"));

        Assert.True(resumedOnB.Reused, resumedOnB.Output.Describe());
        // Logged once per outage: "unavailable" and "back" alternate, never two of a kind in a row.
        var outageLines = a.Process.OutputLines.Where(line => line.Contains("tickets: redis ", StringComparison.Ordinal)).ToArray();
        Assert.NotEmpty(outageLines);
        for (var i = 0; i < outageLines.Length; i++)
            Assert.Contains(i % 2 == 0 ? "redis unavailable" : "redis back", outageLines[i]);
        Assert.Contains("redis back", outageLines[^1]);
    }
}
