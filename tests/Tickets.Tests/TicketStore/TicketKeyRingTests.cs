using System.Text;
using LanguageExt;
using Tickets.TicketStore;

namespace Tickets.Tests.TicketsLifecycle;

[Trait("Category", TestCategory.Unit)]
public class TicketKeyRingTests
{
    private static readonly byte[] State = Encoding.ASCII.GetBytes("session state: suite, secret, issue time, peer");

    private static byte[] Opened(Option<byte[]> opened) =>
        opened.Match(bytes => bytes, () => throw new Xunit.Sdk.XunitException("the ticket did not open"));

    private static TicketKey KeyFrom(byte fill) => new(Enumerable.Repeat(fill, 16).ToArray(), Enumerable.Repeat((byte)(fill + 1), 32).ToArray());

    [Fact]
    public void A_sealed_ticket_opens_and_has_the_ticket_key_layout()
    {
        using var ring = new TicketKeyRing();

        var ticket = ring.Seal(State, ring.Retention);

        Assert.Equal(State.Length + TicketKey.Overhead, ticket.Length);
        Assert.Equal(ring.CurrentKeyName, ticket[..TicketKey.NameLength]);
        Assert.Equal(State, Opened(ring.TryOpen(ticket)));
    }

    [Fact]
    public void Tickets_move_between_the_ring_and_a_ticket_key_of_the_same_name_and_secret()
    {
        using var ring = new TicketKeyRing([KeyFrom(7)]);
        using var sealer = KeyFrom(7);

        Assert.Equal(State, Opened(sealer.TryOpen(ring.Seal(State, ring.Retention))));
        Assert.Equal(State, Opened(ring.TryOpen(sealer.Seal(State))));
    }

    [Fact]
    public void Short_unknown_and_tampered_tickets_do_not_open()
    {
        using var ring = new TicketKeyRing();
        using var stranger = new TicketKeyRing();
        var ticket = ring.Seal(State, ring.Retention);

        Assert.True(ring.TryOpen(ticket.AsSpan(0, TicketKey.Overhead - 1)).IsNone);
        Assert.True(ring.TryOpen(stranger.Seal(State, stranger.Retention)).IsNone);
        for (var i = 0; i < ticket.Length; i++)
        {
            var tampered = ticket.ToArray();
            tampered[i] ^= 0x01;
            Assert.True(ring.TryOpen(tampered).IsNone, $"flipping byte {i} still opened");
        }
    }

    [Fact]
    public void The_ring_rotates_every_twelve_hours_and_the_previous_key_keeps_opening()
    {
        var clock = new ManualTimeProvider();
        using var ring = new TicketKeyRing(new TicketKeyRingOptions { TimeProvider = clock });
        var first = ring.CurrentKeyName;
        var early = ring.Seal(State, ring.Retention);

        clock.Advance(TimeSpan.FromHours(11.9));
        Assert.Equal(first, ring.CurrentKeyName);

        clock.Advance(TimeSpan.FromHours(0.1));
        var late = ring.Seal(State, ring.Retention);

        Assert.NotEqual(first, ring.CurrentKeyName);
        Assert.Equal(ring.CurrentKeyName, late[..16]);
        Assert.Equal(State, Opened(ring.TryOpen(early)));
        Assert.Equal([ring.CurrentKeyName, first], ring.KeyNames);
    }

    [Fact]
    public void The_timer_rotates_an_idle_ring()
    {
        var clock = new ManualTimeProvider();
        using var ring = new TicketKeyRing(new TicketKeyRingOptions { TimeProvider = clock, RotationInterval = TimeSpan.FromMinutes(10) });
        var first = ring.CurrentKeyName;

        var sealedFirst = ring.Seal(State, TimeSpan.FromHours(1));

        clock.Advance(TimeSpan.FromMinutes(35));

        // KeyNames does no maintenance of its own: only the timer can have rotated three times. The first key sealed a
        // ticket that lives an hour, so it stays; the two keys retired since sealed nothing, so nothing needs them.
        Assert.Equal(2, ring.KeyNames.Count);
        Assert.Equal(first, ring.KeyNames[^1]);
        Assert.NotEqual(first, ring.CurrentKeyName);
        Assert.True(ring.TryOpen(sealedFirst).IsSome);
    }

    [Fact]
    public void A_retired_key_stops_opening_once_its_tickets_can_no_longer_live_and_is_dropped()
    {
        var clock = new ManualTimeProvider();
        var options = new TicketKeyRingOptions
        {
            TimeProvider = clock,
            RotationInterval = TimeSpan.FromHours(1),
            Retention = TimeSpan.FromHours(2),
        };
        using var ring = new TicketKeyRing(options);
        var ticket = ring.Seal(State, ring.Retention);

        clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(State, Opened(ring.TryOpen(ticket)));
        clock.Advance(TimeSpan.FromHours(0.99));
        Assert.Equal(State, Opened(ring.TryOpen(ticket)));

        // Sealed without a lifetime, the ticket is taken to live the whole retention: two hours from its sealing.
        clock.Advance(TimeSpan.FromHours(0.01));

        Assert.True(ring.TryOpen(ticket).IsNone);
        Assert.DoesNotContain(ticket[..16], ring.KeyNames);
    }

    [Fact]
    public void A_rotated_out_key_opens_only_as_long_as_the_tickets_it_sealed_live()
    {
        var clock = new ManualTimeProvider();
        using var ring = new TicketKeyRing(new TicketKeyRingOptions { TimeProvider = clock, RotationInterval = TimeSpan.FromHours(12) });
        var early = ring.Seal(State, TimeSpan.FromHours(2));
        clock.Advance(TimeSpan.FromHours(11));
        var late = ring.Seal(State, TimeSpan.FromHours(2));
        var retiredName = ring.CurrentKeyName;

        // Rotated at 12 h; its last ticket expires at 13 h: it opens until then, not for the seven-day retention.
        clock.Advance(TimeSpan.FromHours(1.99));
        Assert.NotEqual(retiredName, ring.CurrentKeyName);
        Assert.Equal(State, Opened(ring.TryOpen(late)));
        Assert.Equal(State, Opened(ring.TryOpen(early)));
        clock.Advance(TimeSpan.FromHours(0.01));

        Assert.True(ring.TryOpen(late).IsNone);
        Assert.DoesNotContain(retiredName, ring.KeyNames);
    }

    [Fact]
    public void A_key_that_sealed_nothing_is_dropped_when_it_is_rotated_out()
    {
        var clock = new ManualTimeProvider();
        using var ring = new TicketKeyRing(new TicketKeyRingOptions { TimeProvider = clock });
        var unused = ring.CurrentKeyName;

        ring.Rotate();

        Assert.Equal([ring.CurrentKeyName], ring.KeyNames);
        Assert.NotEqual(unused, ring.CurrentKeyName);
    }

    [Fact]
    public void The_default_retention_is_the_longest_ticket_lifetime()
    {
        Assert.Equal(TimeSpan.FromDays(7), TicketKeyRingOptions.DefaultRetention);
        Assert.Equal(TimeSpan.FromHours(12), TicketKeyRingOptions.DefaultRotationInterval);
    }

    [Fact]
    public void Without_a_rotation_interval_the_keys_never_change_on_their_own()
    {
        var clock = new ManualTimeProvider();
        using var ring = new TicketKeyRing([KeyFrom(1), KeyFrom(2)], TicketKeyRingOptions.ForKeyFile(clock));
        var names = ring.KeyNames;

        clock.Advance(TimeSpan.FromDays(30));
        ring.Seal(State, ring.Retention);

        Assert.Equal(names, ring.KeyNames);
    }

    [Fact]
    public void A_manual_rotation_retires_the_current_key_for_the_retention()
    {
        var clock = new ManualTimeProvider();
        using var ring = new TicketKeyRing([KeyFrom(1)], TicketKeyRingOptions.ForKeyFile(clock));
        var before = ring.Seal(State, ring.Retention);

        ring.Rotate(KeyFrom(9));

        Assert.Equal(Enumerable.Repeat((byte)9, 16).ToArray(), ring.CurrentKeyName);
        Assert.Equal(State, Opened(ring.TryOpen(before)));
        clock.Advance(TicketKeyRingOptions.DefaultRetention);
        Assert.True(ring.TryOpen(before).IsNone);
        Assert.Throws<ArgumentException>(() => ring.Rotate(KeyFrom(9)));
    }

    [Fact]
    public void Replacing_the_keys_keeps_known_names_drops_missing_ones_and_seals_with_the_new_first()
    {
        using var ring = new TicketKeyRing([KeyFrom(1), KeyFrom(2)], TicketKeyRingOptions.ForKeyFile());
        var underFirst = ring.Seal(State, ring.Retention);
        ring.Rotate(KeyFrom(2 + 1));
        var underThird = ring.Seal(State, ring.Retention);

        ring.Replace([KeyFrom(5), KeyFrom(1)]);

        Assert.Equal(Enumerable.Repeat((byte)5, 16).ToArray(), ring.CurrentKeyName);
        Assert.Equal(State, Opened(ring.TryOpen(underFirst)));
        Assert.True(ring.TryOpen(underThird).IsNone);
        Assert.Equal(2, ring.KeyNames.Count);
    }

    [Fact]
    public void Empty_key_lists_and_duplicate_names_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new TicketKeyRing(Array.Empty<TicketKey>()));
        Assert.Throws<ArgumentException>(() => new TicketKeyRing([KeyFrom(1), KeyFrom(1)]));
        using var ring = new TicketKeyRing();
        Assert.Throws<ArgumentException>(() => ring.Replace([KeyFrom(4), KeyFrom(4)]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TicketKeyRing(new TicketKeyRingOptions { RotationInterval = TimeSpan.Zero }));
    }

    [Fact]
    public void Sealing_and_opening_race_safely_with_rotations()
    {
        using var ring = new TicketKeyRing(new TicketKeyRingOptions { RotationInterval = null });
        var failures = 0;
        var sealers = new System.Collections.Concurrent.ConcurrentDictionary<string, bool>();

        Parallel.For(0, 2000, i =>
        {
            if (i % 50 == 0)
                ring.Rotate();
            var ticket = ring.Seal(BitConverter.GetBytes(i), TimeSpan.FromHours(2));
            sealers[Convert.ToHexString(ticket, 0, 16)] = true;
            if (!ring.TryOpen(ticket).Exists(opened => BitConverter.ToInt32(opened) == i))
                Interlocked.Increment(ref failures);
        });

        Assert.Equal(0, failures);
        // Every key that sealed a ticket still opens it; a key rotated out before it sealed anything is gone.
        Assert.Equal(
            sealers.Keys.Append(Convert.ToHexString(ring.CurrentKeyName)).Distinct().Order(),
            ring.KeyNames.Select(name => Convert.ToHexString(name)).Order());
    }

    [Fact]
    public void A_disposed_ring_refuses_to_seal_and_opens_nothing()
    {
        var ring = new TicketKeyRing();
        var ticket = ring.Seal(State, ring.Retention);

        ring.Dispose();

        Assert.Throws<ObjectDisposedException>(() => ring.Seal(State, ring.Retention));
        Assert.True(ring.TryOpen(ticket).IsNone);
        ring.Dispose();
    }
}
