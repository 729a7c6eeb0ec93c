using System.Runtime.Versioning;
using StackExchange.Redis;

namespace Tickets.Tests.Fleet;

/// <summary>
/// A hostile (or forgetful) Redis cannot read or forge sessions, but it decides what the fleet
/// remembers. Deleting a single-use ticket's used mark, or putting back a stateful session the fleet took, used to let
/// the ticket resume again on the very member that had spent it. Each member now also remembers the tickets it spent
/// itself, so that replay fails there; a replay on another member is what remains (docs/security.md).
/// </summary>
[UnsupportedOSPlatform("windows")]
[Trait("Category", TestCategory.Fleet)]
public sealed class HostileRedisTests : IAsyncLifetime
{
    private FleetServers fleet = null!;

    public async Task InitializeAsync() => fleet = await FleetServers.StartAsync();

    public async Task DisposeAsync() => await fleet.DisposeAsync();

    [Fact]
    public async Task Deleting_the_used_mark_does_not_let_a_single_use_ticket_resume_again_on_the_member_that_spent_it()
    {
        var a = await fleet.MemberAsync("--single-use-tickets");
        var session = fleet.SessionFile("single");
        Assert.True((await FleetClient.ConnectAsync(a, null, session)).Saved);
        Assert.True((await FleetClient.ConnectAsync(a, session, fleet.SessionFile("first-use"))).Reused);

        var raw = await fleet.Redis.RawAsync();
        var marks = await KeysAsync(raw, "tickets:used:*");
        Assert.Single(marks);
        await raw.KeyDeleteAsync(marks.Select(mark => new RedisKey(mark)).ToArray());

        var replay = await FleetClient.ConnectAsync(a, session, fleet.SessionFile("replay"));
        Assert.False(replay.Reused, replay.Output.Describe());
    }

    [Fact]
    public async Task Putting_back_a_taken_stateful_session_does_not_let_it_resume_again_on_the_member_that_took_it()
    {
        var a = await fleet.MemberAsync("--single-use-tickets", "--no-ticket");
        var session = fleet.SessionFile("stateful");
        Assert.True((await FleetClient.ConnectAsync(a, null, session)).Saved);
        var raw = await fleet.Redis.RawAsync();
        // --www sends the ticket flight of 2 sessions; s_client keeps the newest, so save them all.
        var stored = new Dictionary<string, byte[]>();
        foreach (var key in await KeysAsync(raw, "tickets:session:*"))
            stored[key] = (byte[])(await raw.StringGetAsync(key))!;
        Assert.NotEmpty(stored);
        Assert.True((await FleetClient.ConnectAsync(a, session, fleet.SessionFile("first-use"))).Reused);

        foreach (var (key, value) in stored)
            await raw.StringSetAsync(key, value, TimeSpan.FromHours(1));

        var replay = await FleetClient.ConnectAsync(a, session, fleet.SessionFile("replay"));
        Assert.False(replay.Reused, replay.Output.Describe());
    }

    private static async Task<string[]> KeysAsync(IDatabase raw, string pattern)
    {
        var result = await raw.ExecuteAsync("KEYS", pattern);
        return ((RedisResult[])result!).Select(key => (string)key!).ToArray();
    }
}
