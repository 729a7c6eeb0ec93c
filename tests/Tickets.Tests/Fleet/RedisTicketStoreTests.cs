using System.Security.Cryptography;
using Tickets.Core.Model;
using Tickets.Core.Protocol;
using Tickets.Redis;
using Tickets.Tests.Engine;
using Tickets.TicketStore;

namespace Tickets.Tests.Fleet;

/// <summary>
/// A fleet joined from code, the way a library user joins one (<see cref="RedisFleetExtensions.UseRedisFleetAsync"/>):
/// two contexts sharing one Redis resume each other's tickets, stateless and stateful, and a single-use ticket resumes
/// once across both, all through the store seam.
/// </summary>
[Trait("Category", TestCategory.Fleet)]
public sealed class RedisTicketStoreTests : IAsyncLifetime
{
    private readonly FleetLog log = new();
    private RedisServer redis = null!;
    private string kekText = "";

    public async Task InitializeAsync()
    {
        redis = await RedisServer.StartAsync();
        var (kek, text) = FleetKek.Generate();
        kek.Dispose();
        kekText = text;
    }

    public async Task DisposeAsync() => await redis.DisposeAsync();

    private async Task<(TicketServerContext Context, RedisTicketStore Store)> MemberAsync(TicketMode mode, bool singleUse = false)
    {
        var context = new TicketServerContext(TestCertificates.EcdsaP256) { TicketMode = mode, SingleUseTickets = singleUse };
        // Five seconds per operation: a machine busy with the rest of the suite must not fake an outage.
        var store = await context.UseRedisFleetAsync(
            new FleetOptions { Endpoint = redis.Endpoint, Kek = FleetKek.Parse(kekText, "the test"), OperationTimeout = TimeSpan.FromSeconds(5) },
            log.Sink);
        return (context, store);
    }

    private static SessionState Session() => TestSessions.State(
        CipherSuite.TLS_AES_128_GCM_SHA256, RandomNumberGenerator.GetBytes(32), DateTimeOffset.UtcNow.AddSeconds(-5).ToUnixTimeMilliseconds());

    private static byte[] Offer(byte[] ticket, SessionState state) =>
        ScriptedClient.HelloOffering([], new ScriptedClient.Offer(ticket, unchecked(5_000u + state.Session.AgeAdd), state.ResumptionPsk));

    [Theory]
    [InlineData(TicketMode.Stateless)]
    [InlineData(TicketMode.Stateful)]
    public async Task A_ticket_made_by_one_member_resumes_on_the_other(TicketMode mode)
    {
        var (a, storeA) = await MemberAsync(mode);
        var (b, storeB) = await MemberAsync(mode);
        using (a)
        using (b)
        {
            Assert.Same(storeA, a.TicketStore);
            Assert.True(storeA.IsAvailable);
            Assert.Equal(storeA.KeyNames[0], storeB.KeyNames[0]);
            var state = Session();
            var ticket = TestSessions.Issue(a, state);
            if (mode == TicketMode.Stateful)
            {
                // An id into Redis, not the state sealed.
                Assert.Equal(RedisSessionStore.IdLength, ticket.Length);
            }

            var run = await ScriptedClient.RunAsync(b, Offer(ticket, state));

            Assert.True(run.Resumed);
        }
    }

    [Theory]
    [InlineData(TicketMode.Stateless)]
    [InlineData(TicketMode.Stateful)]
    public async Task A_single_use_ticket_resumes_once_across_the_fleet(TicketMode mode)
    {
        var (a, _) = await MemberAsync(mode, singleUse: true);
        var (b, _) = await MemberAsync(mode, singleUse: true);
        using (a)
        using (b)
        {
            var state = Session();
            var ticket = TestSessions.Issue(a, state);

            Assert.True((await ScriptedClient.RunAsync(b, Offer(ticket, state))).Resumed);
            Assert.False((await ScriptedClient.RunAsync(a, Offer(ticket, state))).Resumed);
            Assert.False((await ScriptedClient.RunAsync(b, Offer(ticket, state))).Resumed);
        }
    }
}
