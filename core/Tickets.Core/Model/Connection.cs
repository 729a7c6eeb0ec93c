using LanguageExt;
using Tickets.Core.Protocol;

namespace Tickets.Core.Model;

/// <summary>
/// The ticket state of one connection, what OpenSSL keeps in an SSL. The shell holds the current value and replaces
/// it with <see cref="TicketDecision.Next"/> after each decision.
/// </summary>
/// <remarks>
/// <para><c>new Connection()</c> equals <c>Connection.Create(Context.Default)</c>. Every field has a value that means
/// "nothing happened yet", so the record never holds a null.</para>
/// <para>A value type, so that a decision can hand back the next state without allocating (the shell decides on
/// every handshake). The one trap of a struct: <c>default(Connection)</c> (an array slot, F#'s
/// <c>Unchecked.defaultof</c>) skips the constructor and so has a count of 0, not 2; create connections with
/// <see cref="Create"/> or <c>new Connection()</c>.</para>
/// </remarks>
public readonly record struct Connection
{
    /// <summary>A connection with the default count of 2, before any handshake.</summary>
    public Connection()
    {
    }

    /// <summary>
    /// SSL_new: the connection takes the context's count as it is now; later context changes do not reach it (rule 2).
    /// </summary>
    public static Connection Create(Context context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new Connection { NumTickets = context.NumTickets };
    }

    /// <summary>This connection's own count, read when a handshake or post-handshake authentication completes.</summary>
    public int NumTickets { get; init; } = Context.DefaultNumTickets;

    /// <summary>
    /// Tickets sent since the last reset. The handshake and each post-handshake authentication start it afresh;
    /// extra tickets add to it, as OpenSSL's <c>sent_tickets</c> does.
    /// </summary>
    public int SentTickets { get; init; }

    /// <summary>Whether the handshake resumed a session; if so at most one ticket follows it or any authentication (rule 4).</summary>
    public bool Resumed { get; init; }

    /// <summary>Whether the handshake finished; post-handshake events need it, handshakes refuse it.</summary>
    public bool HandshakeComplete { get; init; }

    /// <summary>The nonce the next ticket gets: a counter from 0, one per ticket, never reset (rule 9).</summary>
    public ulong NextNonce { get; init; }

    /// <summary>The client identity new tickets carry; replaced by each post-handshake authentication.</summary>
    public Option<PeerIdentity> Peer { get; init; }

    /// <summary>
    /// Whether the client's ClientHello carried psk_key_exchange_modes; remembered because strict mode applies it to
    /// every ticket of the connection, including those after authentication or asked for as extras.
    /// </summary>
    public bool ClientOfferedPskModes { get; init; }

    /// <summary>
    /// The client's RFC 9149 ticket_request from the ClientHello, if it sent one; remembered because each
    /// post-handshake authentication issues a flight that honours it again.
    /// </summary>
    public Option<TicketRequest> TicketRequest { get; init; }

    /// <summary>How many post-handshake authentications have completed on this connection.</summary>
    public int PostHandshakeAuthentications { get; init; }

    /// <summary>How many extra tickets (SSL_new_session_ticket) have been issued on this connection in total.</summary>
    public int ExtraTicketsIssued { get; init; }

    /// <summary>SSL_set_num_tickets: affects only this connection; negative fails and changes nothing (rules 1, 2).</summary>
    public Fin<Connection> SetNumTickets(int count) =>
        count < 0
            ? Fin<Connection>.Fail(TicketErrors.NegativeCount)
            : Fin<Connection>.Succ(this with { NumTickets = count });

    /// <summary>SSL_get_num_tickets: the last count set on the connection, else the one copied from the context.</summary>
    public int GetNumTickets() => NumTickets;
}
