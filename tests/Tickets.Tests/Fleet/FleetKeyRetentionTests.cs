using Tickets.Cli;

namespace Tickets.Tests.Fleet;

/// <summary>
/// `tickets serve --redis` keeps a retired fleet key opening as long as its tickets live (the
/// session timeout), no longer; the library default stays the seven days any ticket could live.
/// </summary>
[Trait("Category", TestCategory.Unit)]
public sealed class FleetKeyRetentionTests
{
    [Theory]
    [InlineData(7200u, 7200)]
    [InlineData(60u, 60)]
    [InlineData(10_000_000u, 604_800)]
    public void A_member_keeps_retired_keys_as_long_as_its_tickets_live(uint sessionTimeout, int retentionSeconds)
    {
        using var context = new TicketServerContext(Engine.TestCertificates.EcdsaP256) { SessionTimeoutSeconds = sessionTimeout };

        Assert.Equal(TimeSpan.FromSeconds(retentionSeconds), FleetSettings.KeyRetention(context));
    }
}
