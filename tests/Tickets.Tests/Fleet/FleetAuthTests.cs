using System.Text;
using StackExchange.Redis;
using Tickets.Redis;

namespace Tickets.Tests.Fleet;

/// <summary>
/// A Redis that asks for a password: the right one (for the default user or an ACL user) works as before; a wrong or
/// missing one is an outage like an unreachable Redis, named "authentication failed", logged once however often the
/// client retries, and over as soon as Redis accepts the password. The password shows in no log line and no ToString.
/// </summary>
[Trait("Category", TestCategory.Fleet)]
public sealed class FleetAuthTests : IAsyncLifetime
{
    // A hang guard only: many times the operation timeout, so a stuck call fails the test instead of hanging it.
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(15);
    private static readonly byte[] State = Encoding.ASCII.GetBytes("session state");
    private readonly RedisAuth auth = new(RedisAuth.NewPassword(), "fleet-member", RedisAuth.NewPassword());
    private readonly FleetLog log = new();
    private RedisServer redis = null!;
    private FleetKek kek = null!;

    public async Task InitializeAsync()
    {
        redis = await RedisServer.StartAsync(auth);
        (kek, _) = FleetKek.Generate();
    }

    public async Task DisposeAsync()
    {
        kek.Dispose();
        await redis.DisposeAsync();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_right_password_logs_in_as_the_default_user_or_an_acl_user(bool aclUser)
    {
        var options = Options(aclUser ? auth.UserPassword : auth.Password, aclUser ? auth.User : null);
        await using var connection = await FleetConnection.ConnectAsync(options, log.Sink);
        var sessions = new RedisSessionStore(connection, kek);

        var id = (await sessions.AddAsync(State, TimeSpan.FromMinutes(5))).IfNone([]);

        Assert.NotEmpty(id);
        Assert.Equal(FleetStatus.Found, (await sessions.TryGetAsync(id)).Status);
        Assert.True(connection.Available);
        Assert.DoesNotContain(log.Lines, line => line.StartsWith("redis unavailable", StringComparison.Ordinal));
        if (aclUser)
        {
            // Redis's own account of who is connected: the fleet's client, under the ACL user's name.
            var clients = (string?)await (await redis.RawAsync()).ExecuteAsync("CLIENT", "LIST") ?? "";
            Assert.Contains(clients.Split('\n'), line => line.Contains("name=tickets", StringComparison.Ordinal) && line.Contains($"user={auth.User}", StringComparison.Ordinal));
        }
    }

    public static TheoryData<string, string?, string?> RefusedLogins => new()
    {
        { "no password", null, null },
        { "wrong password", "not-the-password", null },
        // The default user's password under the ACL user's name: right password, wrong user.
        { "wrong user", "default user's", "fleet-member" },
    };

    [Theory]
    [MemberData(nameof(RefusedLogins))]
    public async Task A_refused_login_is_an_outage_logged_once_as_authentication_failed_and_ends_when_redis_accepts_it(
        string what, string? password, string? user)
    {
        password = password == "default user's" ? auth.Password : password;
        var connectionsBefore = await redis.ConnectionsReceivedAsync();
        await using var member = await FleetMember.StartAsync(
            Options(password, user), kek, new RedisTicketKeysOptions { PollInterval = TimeSpan.FromDays(1), RotationInterval = null }, log.Sink);
        var sessions = new RedisSessionStore(member.Connection, kek);
        var used = new RedisUsedTickets(member.Connection);

        for (var round = 0; round < 3; round++)
        {
            Assert.True((await sessions.AddAsync(State, TimeSpan.FromMinutes(5)).WaitAsync(HangGuard)).IsNone, what);
            Assert.Equal(FleetStatus.Unavailable, (await sessions.TryGetAsync(new byte[16]).WaitAsync(HangGuard)).Status);
            Assert.Equal(ConsumeOutcome.Unavailable, await used.TryConsumeAsync(new byte[] { 1, (byte)round }, DateTimeOffset.UtcNow.AddMinutes(1)).WaitAsync(HangGuard));
            Assert.Equal(FleetStatus.Unavailable, await member.Keys.RefreshAsync().WaitAsync(HangGuard));
        }

        // Tickets are still sealed and opened, with the keys the member has (here its own: Redis never let it in).
        Assert.True(member.Opens(member.Ring.Seal(State, member.Ring.Retention)));
        Assert.False(member.Connection.Available);
        // The client keeps retrying in the background, and the fleet keeps asking (as handshakes and key polls do);
        // several refused attempts later the refusal has been logged, and only once.
        await Eventually.ReturnsAsync(
            async () => (Attempts: await redis.ConnectionsReceivedAsync() - connectionsBefore, Lookup: await sessions.TryGetAsync(new byte[16])),
            state => state.Attempts >= 6 && log.Lines.Any(line => line.Contains(FleetConnection.AuthenticationFailed, StringComparison.Ordinal)),
            "the client retried its login and the refusal was logged");
        Assert.Single(log.Lines, line => line.Contains(FleetConnection.AuthenticationFailed, StringComparison.Ordinal));
        Assert.Single(log.Lines, line => line.StartsWith($"redis unavailable at {redis.Endpoint} (", StringComparison.Ordinal));
        Assert.DoesNotContain(log.Lines, line => line.StartsWith("redis back", StringComparison.Ordinal));
        AssertNoSecretIn(log.Lines, password);

        // Redis now takes what the member sends (as after an operator fixed the configuration): the outage ends by itself.
        var raw = await redis.RawAsync();
        if (user is not null)
            await raw.ExecuteAsync("ACL", "SETUSER", user, "resetpass", ">" + password);
        else if (password is not null)
            await raw.ExecuteAsync("CONFIG", "SET", "requirepass", password);
        else
            await raw.ExecuteAsync("CONFIG", "SET", "requirepass", "");
        await Eventually.ReturnsAsync(() => sessions.AddAsync(State, TimeSpan.FromMinutes(5)), added => added.IsSome, "a session stored once redis accepts the login");
        Assert.Equal(
            new[] { "redis unavailable", "redis back" },
            log.Lines.Select(line => string.Join(' ', line.Split(' ').Take(2))).Where(start => start is "redis unavailable" or "redis back"));
        AssertNoSecretIn(log.Lines, password);
    }

    [Fact]
    public void Options_print_whether_a_password_is_set_never_the_password()
    {
        var password = RedisAuth.NewPassword();
        var redisOptions = Options(password, "fleet-member");
        var fleetOptions = new FleetOptions { Endpoint = redis.Endpoint, Kek = kek, RedisPassword = password, RedisUser = "fleet-member" };

        Assert.DoesNotContain(password, redisOptions.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(password, fleetOptions.ToString(), StringComparison.Ordinal);
        Assert.Contains("Password = (set), User = fleet-member", redisOptions.ToString(), StringComparison.Ordinal);
        Assert.Contains("RedisPassword = (set), RedisUser = fleet-member", fleetOptions.ToString(), StringComparison.Ordinal);
        // What the redaction is for: the client's own configuration text carries the password in clear.
        Assert.Contains(password, new ConfigurationOptions { Password = password }.ToString(), StringComparison.Ordinal);
    }

    private FleetRedisOptions Options(string? password, string? user) =>
        new() { Endpoint = redis.Endpoint, OperationTimeout = TimeSpan.FromSeconds(5), Password = password, User = user };

    private void AssertNoSecretIn(IEnumerable<string> lines, string? password)
    {
        foreach (var secret in new[] { auth.Password, auth.UserPassword!, password }.OfType<string>().Where(s => s.Length > 0))
            Assert.DoesNotContain(lines, line => line.Contains(secret, StringComparison.Ordinal));
    }
}
