namespace Tickets.TicketStore;

/// <summary>
/// A store whose stateless tickets are sealed under named keys (<see cref="TicketKey"/>'s layout: the name comes
/// first): the trace reports which key sealed a ticket, so an operator can follow a rotation.
/// </summary>
internal interface INamedTicketKeys
{
    /// <summary>The name of the key that seals now; key names are public (every ticket carries one in the clear).</summary>
    byte[] CurrentKeyName { get; }
}
