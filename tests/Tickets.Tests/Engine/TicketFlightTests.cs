namespace Tickets.Tests.Engine;

/// <summary>What each NewSessionTicket of one flight gets for itself (RFC 8446 §4.6.1).</summary>
[Trait("Category", TestCategory.Unit)]
public sealed class TicketFlightTests
{
    [Fact]
    public async Task Every_ticket_of_a_flight_has_its_own_age_add_nonce_and_ticket()
    {
        // The age_adds of a flight come from one draw of the generator: each must still be its own 32 random bits.
        using var context = new TicketServerContext(TestCertificates.EcdsaP256);
        Assert.True(context.SetNumTickets(8).IsSucc);
        var run = await ScriptedClient.RunAsync(context, ScriptedClient.Hello([]));

        Assert.Null(run.Failure);
        Assert.Equal(8, run.Tickets.Count);
        Assert.Equal(8, run.Tickets.Select(ticket => ticket.AgeAdd).Distinct().Count());
        Assert.Equal(8, run.Tickets.Select(ticket => Convert.ToHexString(ticket.Nonce)).Distinct().Count());
        Assert.Equal(8, run.Tickets.Select(ticket => Convert.ToHexString(ticket.Ticket)).Distinct().Count());
    }
}
