using System.Runtime.Versioning;
using Tickets.Tests.Interop;

namespace Tickets.Tests.Fleet;

/// <summary>
/// `tickets serve --redis` against a redis-server that requires a password, with openssl s_client: members that log in
/// share sessions; a member whose password is refused serves as if Redis were unreachable.
/// </summary>
[UnsupportedOSPlatform("windows")]
[Trait("Category", TestCategory.Fleet)]
public sealed class FleetAuthInteropTests : IAsyncLifetime
{
    private const string PasswordVariable = "TICKETS_REDIS_PASSWORD";
    // How long to wait for a log line before failing the test with the server's output; not an assertion on timing.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly RedisAuth auth = new(RedisAuth.NewPassword(), "fleet-member", RedisAuth.NewPassword());
    private FleetServers fleet = null!;

    public async Task InitializeAsync() => fleet = await FleetServers.StartAsync(auth);

    public async Task DisposeAsync() => await fleet.DisposeAsync();

    [Fact]
    public async Task Members_logging_in_by_file_as_an_acl_user_and_by_environment_share_a_stateful_ticket()
    {
        // A: the ACL user's password from a file, and a wrong one in the variable that the file must win over.
        var a = await fleet.MemberWithEnvironmentAsync(
            new Dictionary<string, string> { [PasswordVariable] = "not-the-password" },
            "--no-ticket", "--redis-user", auth.User!, "--redis-password-file", fleet.SecretFile("user-password", auth.UserPassword!));
        // B: the default user's password from the variable alone.
        var b = await fleet.MemberWithEnvironmentAsync(new Dictionary<string, string> { [PasswordVariable] = auth.Password }, "--no-ticket");
        var session = fleet.SessionFile("auth");

        var first = await FleetClient.ConnectAsync(a, null, session);
        var second = await FleetClient.ConnectAsync(b, session, fleet.SessionFile("auth-b"));

        Assert.False(first.Reused);
        Assert.True(first.Saved);
        // Only a session A stored in Redis and B read from it resumes: both logged in.
        Assert.True(second.Reused, second.Output.Describe());
        foreach (var member in new[] { a, b })
        {
            Assert.DoesNotContain(member.Process.OutputLines, line => line.Contains("redis unavailable", StringComparison.Ordinal));
            AssertNeverPrinted(member, auth.Password, auth.UserPassword!);
        }

        Assert.Contains(a.Process.OutputLines, line => line.Contains($"(reachable), user {auth.User}, password from '", StringComparison.Ordinal));
        Assert.Contains(b.Process.OutputLines, line => line.Contains($"(reachable), password from ${PasswordVariable}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_refused_password_leaves_full_handshakes_with_tickets_and_one_log_line()
    {
        var wrong = RedisAuth.NewPassword();
        var connectionsBefore = await fleet.Redis.ConnectionsReceivedAsync();
        var server = await fleet.MemberAsync("--redis-password-file", fleet.SecretFile("wrong-password", wrong));
        var session = fleet.SessionFile("refused");

        var first = await FleetClient.ConnectAsync(server, null, session);
        var fresh = await FleetClient.ConnectAsync(server, null, fleet.SessionFile("refused-2"));
        // Stateless tickets are sealed with the keys the server has, so they resume on it even without Redis.
        var resumed = await FleetClient.ConnectAsync(server, session, fleet.SessionFile("refused-3"));

        Assert.False(first.Reused);
        Assert.True(first.Saved);
        Assert.False(fresh.Reused);
        Assert.True(fresh.Saved);
        Assert.True(resumed.Reused, resumed.Output.Describe());
        // The refusal is logged (at start, or at the first key poll after the client learnt of it); Redis then sees the
        // server try to log in again and again, and the log still says so once.
        await server.Process.WaitForLineAsync(line => line.Contains("authentication failed", StringComparison.Ordinal), Patience);
        await Eventually.ReturnsAsync(fleet.Redis.ConnectionsReceivedAsync, count => count >= connectionsBefore + 6, "the server retried its login");
        Assert.False(server.Process.HasExited);
        Assert.Single(server.Process.OutputLines, line => line.Contains("authentication failed", StringComparison.Ordinal));
        Assert.Single(server.Process.OutputLines, line => line.Contains("tickets: redis unavailable", StringComparison.Ordinal));
        Assert.DoesNotContain(server.Process.OutputLines, line => line.Contains("tickets: redis back", StringComparison.Ordinal));
        AssertNeverPrinted(server, wrong, auth.Password, auth.UserPassword!);
    }

    private static void AssertNeverPrinted(TicketsServer server, params string[] secrets)
    {
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(server.Process.OutputLines, line => line.Contains(secret, StringComparison.Ordinal));
            Assert.DoesNotContain(server.Process.ErrorLines, line => line.Contains(secret, StringComparison.Ordinal));
        }
    }
}
