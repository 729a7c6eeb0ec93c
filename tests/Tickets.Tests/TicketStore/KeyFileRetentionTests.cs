using System.Text;
using Tickets.Crypto;
using Tickets.Tests.Interop;
using Tickets.TicketStore;

namespace Tickets.Tests.TicketsLifecycle;

/// <summary>
/// A key file's older keys stop opening once no ticket they sealed can still be alive, even while
/// the file still lists them. A key stops sealing when the key before it is created; seven days later (the longest any
/// ticket lives) nothing it sealed is usable, so keeping it would only let whoever stole it forge tickets.
/// </summary>
[Trait("Category", TestCategory.Unit)]
public sealed class KeyFileRetentionTests
{
    private static readonly byte[] State = Encoding.ASCII.GetBytes("session state");

    [Fact]
    public void An_older_key_opens_until_seven_days_after_the_key_that_replaced_it_was_created()
    {
        var clock = new ManualTimeProvider();
        var path = Path.Combine(InteropPaths.NewDirectory("key-retention"), "fleet.keys");
        TicketKeyFile.Generate(path, count: 2, timeProvider: clock);
        var keys = TicketKeyFile.Load(path);
        using var olderKey = keys[1];
        keys[0].Dispose();
        var ticket = olderKey.Seal(State);

        clock.Advance(TimeSpan.FromDays(7) - TimeSpan.FromMinutes(1));
        using (var ring = TicketKeyFile.LoadRing(path, clock))
        {
            Assert.True(ring.TryOpen(ticket).IsSome);
            Assert.Equal(2, ring.KeyNames.Count);
            clock.Advance(TimeSpan.FromMinutes(1));

            Assert.True(ring.TryOpen(ticket).IsNone);
            Assert.Single(ring.KeyNames);
        }

        // A server started later never holds it at all.
        using var later = TicketKeyFile.LoadRing(path, clock);
        Assert.True(later.TryOpen(ticket).IsNone);
        Assert.Single(later.KeyNames);
    }

    [Fact]
    public void A_reload_applies_the_same_bound_and_keys_without_creation_times_stay_until_the_file_drops_them()
    {
        var clock = new ManualTimeProvider();
        var path = Path.Combine(InteropPaths.NewDirectory("key-retention"), "fleet.keys");
        TicketKeyFile.Generate(path, count: 1, timeProvider: clock);
        using var ring = TicketKeyFile.LoadRing(path, clock);
        using var watcher = new TicketKeyFileWatcher(path, ring, TimeSpan.FromDays(1), clock, notifyOnChange: false);
        var firstName = ring.CurrentKeyName;

        TicketKeyFile.Rotate(path, keepPrevious: 1, timeProvider: clock);
        Assert.True(watcher.CheckNow());
        Assert.Equal(2, ring.KeyNames.Count);
        clock.Advance(TimeSpan.FromDays(7));
        Assert.DoesNotContain(firstName, ring.KeyNames);

        // Without creation times (a hand-written file), the file alone decides.
        var keyLines = File.ReadAllLines(path).Skip(1).Select(line => line.Split(' ')[0]).ToArray();
        File.WriteAllLines(path, [TicketKeyFile.Header, keyLines[0], Convert.ToBase64String(new byte[48])]);
        Assert.True(watcher.CheckNow());
        clock.Advance(TimeSpan.FromDays(30));
        Assert.Equal(2, ring.KeyNames.Count);
    }
}
