using Tickets.Core.Model;

namespace Tickets.Tests.Core;

/// <summary>Rules 1 and 2: setting, reading and copying the ticket count.</summary>
[Trait("Category", TestCategory.Unit)]
public class CountSettingTests
{
    [Fact]
    public void Default_count_is_two_on_context_and_connection()
    {
        Assert.Equal(2, Context.Default.GetNumTickets());
        Assert.Equal(2, Connection.Create(Context.Default).GetNumTickets());
        Assert.Equal(Context.Default, new Context());
        Assert.Equal(Connection.Create(Context.Default), new Connection());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(10)]
    [InlineData(1000)]
    [InlineData(int.MaxValue)]
    public void Any_count_from_zero_up_is_accepted_without_a_cap(int count)
    {
        Assert.Equal(count, Context.Default.SetNumTickets(count).Succeeds().GetNumTickets());
        Assert.Equal(count, new Connection().SetNumTickets(count).Succeeds().GetNumTickets());
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(-2)]
    [InlineData(int.MinValue)]
    public void Negative_count_fails_with_a_typed_error_and_keeps_the_previous_value(int count)
    {
        var context = Context.Default.SetNumTickets(5).Succeeds();
        var connection = Connection.Create(context);

        var contextError = context.SetNumTickets(count).Fails();
        var connectionError = connection.SetNumTickets(count).Fails();

        Assert.Equal(TicketErrors.NegativeCount, contextError);
        Assert.Equal(TicketErrorKind.NegativeCount, Assert.IsType<TicketError>(connectionError).Kind);
        Assert.Equal((int)TicketErrorKind.NegativeCount, connectionError.Code);
        Assert.Equal(5, context.GetNumTickets());
        Assert.Equal(5, connection.GetNumTickets());
    }

    [Fact]
    public void Getter_returns_the_last_value_set()
    {
        var context = Context.Default.SetNumTickets(7).Succeeds().SetNumTickets(0).Succeeds().SetNumTickets(4).Succeeds();
        Assert.Equal(4, context.GetNumTickets());
    }

    [Theory]
    [InlineData(null, 5)]
    [InlineData(0, 3)]
    [InlineData(3, 0)]
    [InlineData(10, 1)]
    public void Connection_copies_the_count_at_creation_and_ignores_later_context_changes(int? atCreation, int later)
    {
        var context = Decisions.ContextWith(atCreation);
        var connection = Connection.Create(context);
        var changed = context.SetNumTickets(later).Succeeds();

        Assert.Equal(atCreation ?? 2, connection.GetNumTickets());
        Assert.Equal(later, Connection.Create(changed).GetNumTickets());
    }

    [Fact]
    public void Setting_a_connection_count_affects_only_that_connection()
    {
        var context = Context.Default;
        var first = Connection.Create(context);
        var second = Connection.Create(context);

        var changed = first.SetNumTickets(9).Succeeds();

        Assert.Equal(9, changed.GetNumTickets());
        Assert.Equal(2, second.GetNumTickets());
        Assert.Equal(2, context.GetNumTickets());
        Assert.Equal(2, first.GetNumTickets());
    }
}
