using Tickets.Core.Model;

namespace Tickets.TicketStore;

/// <summary>
/// Where session tickets are made, opened and consumed: the one seam between the server and whatever keeps its
/// sessions. A <see cref="TicketServerContext"/> holds one store, picked when it is configured
/// (<see cref="TicketServerContext.UseTicketStore"/>): by default a <see cref="LocalTicketStore"/> (the process's own
/// rotating keys or a shared key file, and an in-process session cache); with the Tickets.Redis package, a fleet's
/// store on Redis; or your own, e.g. one keeping stateful sessions in a distributed cache you already run.
/// </summary>
/// <remarks>
/// <para>The server calls the three methods in this order. After a handshake, <see cref="IssueAsync"/> once per
/// NewSessionTicket. On resumption, <see cref="OpenAsync"/> for each ticket the client offers (at most four per
/// ClientHello); the server then decides, verifies the PSK binder of the ticket it chose, and only then, when tickets
/// are single use (<see cref="TicketServerContext.SingleUseTickets"/>), calls <see cref="ConsumeAsync"/>. So a store
/// never has to know whether tickets are single use, and a forged ClientHello (whose binder fails) never burns anyone's
/// ticket.</para>
/// <para>Each call says which <see cref="TicketMode"/> the server issues in now (≈ SSL_OP_NO_TICKET, which may change
/// while the server runs): <see cref="TicketMode.Stateless"/> asks for a sealed ticket that carries the session,
/// <see cref="TicketMode.Stateful"/> for a short id under which the store keeps the session. A ticket is opened the way
/// the server issues them now, as OpenSSL does: after a switch to stateful mode, earlier sealed tickets are simply not
/// found. The mode is an argument rather than a choice of store because one store serves both modes from one place (a
/// fleet's Redis connection and keys, a process's keys and cache), and the server can switch without a new store.</para>
/// <para>The session state passed in and returned is secret (it holds the resumption PSK): a store keeps it only as
/// long as its ticket lives, protects it wherever it leaves the process (the fleet seals it under a key-encryption key),
/// and wipes copies it drops. The server wipes the arrays it receives when done with them. The state is opaque: its
/// layout belongs to the server and may change between versions, in which case older states fail to decode and their
/// clients get a full handshake.</para>
/// <para>A store must be safe for concurrent use, and should never throw for something a client sent or for an outage
/// of whatever it stores in: "not found" (a full handshake) is always a safe answer to <see cref="OpenAsync"/>, and
/// false to <see cref="ConsumeAsync"/>. Each call runs inside a handshake, so a store bounds how long it waits. The
/// context that holds a store disposes it, when the context is disposed or another store takes its place.</para>
/// </remarks>
public interface ITicketStore : IDisposable
{
    /// <summary>
    /// The ticket a client will hold for <paramref name="sessionState"/>: in <see cref="TicketMode.Stateless"/> mode the
    /// state sealed so that only this server (or its fleet) can open it; in <see cref="TicketMode.Stateful"/> mode a
    /// fresh, unguessable id, with the state kept for <paramref name="lifetime"/>.
    /// </summary>
    /// <param name="mode">How the server issues tickets now.</param>
    /// <param name="sessionState">The state to resume from (secret); copy what you keep, the caller wipes it afterwards.</param>
    /// <param name="lifetime">
    /// The ticket's ticket_lifetime (at most seven days). Zero makes a ticket that can never resume: a store need not keep
    /// anything for it.
    /// </param>
    /// <param name="cancellationToken">Cancelled when the connection gives up.</param>
    /// <returns>The ticket's bytes, as sent in NewSessionTicket (1 to 65535 bytes).</returns>
    ValueTask<byte[]> IssueAsync(TicketMode mode, ReadOnlyMemory<byte> sessionState, TimeSpan lifetime, CancellationToken cancellationToken = default);

    /// <summary>
    /// The session state behind a ticket a client offered, or null when this store cannot use it (not sealed by a key it
    /// holds, tampered with, an unknown, expired or evicted id, or the storage not answering). Only looks: nothing is
    /// spent until <see cref="ConsumeAsync"/>.
    /// </summary>
    /// <param name="mode">How the server issues tickets now; a ticket of the other kind is simply not found.</param>
    /// <param name="ticket">The identity exactly as the client sent it in pre_shared_key: untrusted input.</param>
    /// <param name="cancellationToken">Cancelled when the connection gives up.</param>
    /// <returns>A fresh array the caller owns (and wipes), or null.</returns>
    ValueTask<byte[]?> OpenAsync(TicketMode mode, ReadOnlyMemory<byte> ticket, CancellationToken cancellationToken = default);

    /// <summary>
    /// Spends a single-use ticket: true exactly once per ticket, the first time, across everything that shares this
    /// store's storage; false when it was spent before, or when the store cannot tell (refusing costs a full handshake, a
    /// replay could cost far more). Called only when tickets are single use, after the binder proved the client holds
    /// the ticket's PSK.
    /// </summary>
    /// <param name="mode">How the server issues tickets now (a stateful ticket may be spent by removing its session).</param>
    /// <param name="ticket">The identity exactly as the client sent it, which <see cref="OpenAsync"/> opened.</param>
    /// <param name="expires">When the ticket stops being acceptable anyway: a record of its use need not outlive this.</param>
    /// <param name="cancellationToken">Cancelled when the connection gives up.</param>
    ValueTask<bool> ConsumeAsync(TicketMode mode, ReadOnlyMemory<byte> ticket, DateTimeOffset expires, CancellationToken cancellationToken = default);
}
