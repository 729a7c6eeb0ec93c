using Tickets.TicketStore;

namespace Tickets.Tests.TicketsLifecycle;

[Trait("Category", TestCategory.Unit)]
public class UsedTicketMemoryTests
{
    private static byte[] Ticket(int i) => BitConverter.GetBytes(i).Concat(new byte[60]).ToArray();

    [Fact]
    public void A_ticket_is_consumed_once_only()
    {
        var clock = new ManualTimeProvider();
        var memory = new UsedTicketMemory(timeProvider: clock);
        var expires = clock.GetUtcNow().AddHours(2);

        Assert.True(memory.TryConsume(Ticket(1), expires));
        Assert.False(memory.TryConsume(Ticket(1), expires));
        Assert.False(memory.TryConsume(Ticket(1), expires.AddDays(1)));
        Assert.True(memory.WasConsumed(Ticket(1)));
        Assert.True(memory.TryConsume(Ticket(2), expires));
    }

    [Fact]
    public void Tickets_differing_in_one_byte_are_different_tickets()
    {
        var clock = new ManualTimeProvider();
        var memory = new UsedTicketMemory(timeProvider: clock);
        var ticket = Ticket(3);
        var other = ticket.ToArray();
        other[^1] ^= 0x80;

        Assert.True(memory.TryConsume(ticket, clock.GetUtcNow().AddMinutes(1)));
        Assert.True(memory.TryConsume(other, clock.GetUtcNow().AddMinutes(1)));
    }

    [Fact]
    public void An_expired_ticket_is_refused_and_records_are_forgotten_when_their_tickets_expire()
    {
        var clock = new ManualTimeProvider();
        var memory = new UsedTicketMemory(timeProvider: clock);

        Assert.False(memory.TryConsume(Ticket(1), clock.GetUtcNow()));
        Assert.True(memory.TryConsume(Ticket(2), clock.GetUtcNow().AddSeconds(10)));
        Assert.True(memory.TryConsume(Ticket(3), clock.GetUtcNow().AddSeconds(20)));

        clock.Advance(TimeSpan.FromSeconds(10));
        Assert.False(memory.WasConsumed(Ticket(2)));
        Assert.True(memory.TryConsume(Ticket(4), clock.GetUtcNow().AddSeconds(10)));

        Assert.Equal(2, memory.Count);
    }

    [Fact]
    public void A_full_memory_refuses_new_tickets_rather_than_forget_live_ones()
    {
        var clock = new ManualTimeProvider();
        var memory = new UsedTicketMemory(capacity: 3, timeProvider: clock);
        var expires = clock.GetUtcNow().AddMinutes(5);
        for (var i = 0; i < 3; i++)
            Assert.True(memory.TryConsume(Ticket(i), expires));

        Assert.False(memory.TryConsume(Ticket(99), expires));
        Assert.False(memory.TryConsume(Ticket(0), expires));

        clock.Advance(TimeSpan.FromMinutes(5));
        Assert.True(memory.TryConsume(Ticket(99), expires.AddMinutes(5)));
        Assert.Equal(1, memory.Count);
    }

    [Fact]
    public void Racing_resumptions_with_one_ticket_succeed_exactly_once()
    {
        var memory = new UsedTicketMemory();
        var expires = DateTimeOffset.UtcNow.AddHours(1);
        var successes = 0;

        Parallel.For(0, 64, _ =>
        {
            if (memory.TryConsume(Ticket(42), expires))
                Interlocked.Increment(ref successes);
        });

        Assert.Equal(1, successes);
    }

    [Fact]
    public void The_capacity_must_be_positive()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new UsedTicketMemory(0));
        Assert.Equal(UsedTicketMemory.DefaultCapacity, new UsedTicketMemory().Capacity);
    }
}
