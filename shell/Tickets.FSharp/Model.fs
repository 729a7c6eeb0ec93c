namespace Tickets.FSharp

open Tickets.Core.Model
open Tickets.Core.Protocol

/// <summary>
/// The server-wide ticket settings (OpenSSL's SSL_CTX), as curried functions with the context last so they chain with
/// <c>|&gt;</c> and <c>Result.bind</c>. The core's <c>Context</c> is immutable: every function returns a new one.
/// </summary>
[<RequireQualifiedAccess>]
module Context =

    /// <summary>A context with OpenSSL's defaults: 2 tickets, a 7200 s session timeout, stateless tickets, lenient PSK modes.</summary>
    let create () : Context = Context.Default

    /// <summary>
    /// SSL_CTX_set_num_tickets: tickets after a full handshake. A negative count is refused with
    /// <c>TicketErrors.NegativeCount</c>, as OpenSSL refuses it and keeps the old value.
    /// </summary>
    /// <param name="count">Tickets after a full handshake; zero sends none.</param>
    /// <param name="context">The context to change.</param>
    let withNumTickets (count: int) (context: Context) : Result<Context, TicketError> =
        context.SetNumTickets count |> TicketError.ofFin

    /// <summary>
    /// The most tickets a client's RFC 9149 ticket_request can obtain; negative is refused with
    /// <c>TicketErrors.NegativeTicketRequestLimit</c>.
    /// </summary>
    /// <param name="maximum">The cap; zero gives a client that asks no ticket.</param>
    /// <param name="context">The context to change.</param>
    let withMaxTicketRequest (maximum: int) (context: Context) : Result<Context, TicketError> =
        context.SetMaxTicketRequest maximum |> TicketError.ofFin

    /// <summary>SSL_CTX_set_timeout: how long a session stays resumable; tickets live at most seven days whatever it says.</summary>
    /// <param name="seconds">The session timeout in seconds.</param>
    /// <param name="context">The context to change.</param>
    let withSessionTimeout (seconds: uint32) (context: Context) : Context = context.WithSessionTimeout seconds

    /// <summary>Stateless (self-contained) or stateful (cache-backed) tickets; the count issued is the same.</summary>
    /// <param name="mode">The ticket mode.</param>
    /// <param name="context">The context to change.</param>
    let withTicketMode (mode: TicketMode) (context: Context) : Context = context.WithTicketMode mode

    /// <summary>When on, no ticket goes to a client that sent no psk_key_exchange_modes (RFC 8446 §4.2.9); off in OpenSSL.</summary>
    /// <param name="strict">Whether to be strict.</param>
    /// <param name="context">The context to change.</param>
    let withStrictPskModes (strict: bool) (context: Context) : Context = context.WithStrictPskModes strict

    /// <summary>SSL_CTX_get_num_tickets: the count a new connection copies.</summary>
    /// <param name="context">The context to read.</param>
    let numTickets (context: Context) : int = context.GetNumTickets()

    /// <summary>The lifetime every ticket gets: the session timeout, clamped to seven days.</summary>
    /// <param name="context">The context to read.</param>
    let ticketLifetimeSeconds (context: Context) : uint32 = context.TicketLifetimeSeconds

/// <summary>
/// The ticket state of one connection (OpenSSL's SSL): created from a context, replaced by each decision's next state.
/// </summary>
[<RequireQualifiedAccess>]
module Connection =

    /// <summary>SSL_new: a connection that copies the context's count now; later changes to the context do not reach it.</summary>
    /// <param name="context">The context to copy the count from.</param>
    let ofContext (context: Context) : Connection = Connection.Create context

    /// <summary>SSL_get_num_tickets: this connection's count.</summary>
    /// <param name="connection">The connection to read.</param>
    let numTickets (connection: Connection) : int = connection.GetNumTickets()

    /// <summary>SSL_set_num_tickets: this connection's count only; negative is refused with <c>TicketErrors.NegativeCount</c>.</summary>
    /// <param name="count">Tickets after this connection's handshake or authentication.</param>
    /// <param name="connection">The connection to change.</param>
    let withNumTickets (count: int) (connection: Connection) : Result<Connection, TicketError> =
        connection.SetNumTickets count |> TicketError.ofFin

    /// <summary>The client identity new tickets carry, if the client authenticated.</summary>
    /// <param name="connection">The connection to read.</param>
    let peer (connection: Connection) : PeerIdentity option = Option.ofLanguageExt connection.Peer

    /// <summary>The client's RFC 9149 ticket_request, if its ClientHello carried one.</summary>
    /// <param name="connection">The connection to read.</param>
    let ticketRequest (connection: Connection) : TicketRequest option = Option.ofLanguageExt connection.TicketRequest

    /// <summary>Whether the handshake completed.</summary>
    /// <param name="connection">The connection to read.</param>
    let isHandshakeComplete (connection: Connection) : bool = connection.HandshakeComplete

    /// <summary>Whether the handshake resumed a session (then at most one ticket follows it).</summary>
    /// <param name="connection">The connection to read.</param>
    let isResumed (connection: Connection) : bool = connection.Resumed

    /// <summary>The nonce the next ticket gets: a counter from 0 that never goes back.</summary>
    /// <param name="connection">The connection to read.</param>
    let nextNonce (connection: Connection) : uint64 = connection.NextNonce

/// <summary>
/// Builds the events the ticket policy decides on (the core's <c>HandshakeOutcome</c>), from F# options.
/// </summary>
[<RequireQualifiedAccess>]
module HandshakeOutcome =

    /// <summary>A handshake without a PSK finished.</summary>
    /// <param name="offeredPskModes">Whether the ClientHello carried psk_key_exchange_modes.</param>
    /// <param name="peer">The client's identity, if it authenticated with a certificate.</param>
    let full (offeredPskModes: bool) (peer: PeerIdentity option) : HandshakeOutcome =
        HandshakeOutcome.FullHandshake(offeredPskModes, Option.toLanguageExt peer)

    /// <summary>A handshake that resumed a session finished.</summary>
    /// <param name="offeredPskModes">Whether the ClientHello carried psk_key_exchange_modes.</param>
    /// <param name="restoredPeer">The identity stored in the resumed session.</param>
    let resumption (offeredPskModes: bool) (restoredPeer: PeerIdentity option) : HandshakeOutcome =
        HandshakeOutcome.Resumption(offeredPskModes, Option.toLanguageExt restoredPeer)

    /// <summary>A post-handshake authentication completed; <c>None</c> when the client sent an empty Certificate.</summary>
    /// <param name="peer">The identity the client proved, if any.</param>
    let postHandshakeAuth (peer: PeerIdentity option) : HandshakeOutcome =
        HandshakeOutcome.PostHandshakeAuthCompleted(Option.toLanguageExt peer)

    /// <summary>The application asked for tickets on top (SSL_new_session_ticket, once per ticket).</summary>
    /// <param name="count">How many.</param>
    let extraTickets (count: int) : HandshakeOutcome = HandshakeOutcome.ExtraTicketsRequested count

    /// <summary>
    /// The same handshake with the client's RFC 9149 ticket_request; post-handshake events carry none (the connection
    /// remembers the handshake's) and are returned unchanged.
    /// </summary>
    /// <param name="request">The ClientHello's ticket_request, if any.</param>
    /// <param name="outcome">The handshake to annotate.</param>
    let withTicketRequest (request: TicketRequest option) (outcome: HandshakeOutcome) : HandshakeOutcome =
        match outcome with
        | :? HandshakeOutcome.FullHandshake as full ->
            HandshakeOutcome.FullHandshake(full.ClientOfferedPskModes, full.Peer, TicketRequest = Option.toLanguageExt request)
        | :? HandshakeOutcome.Resumption as resumed ->
            HandshakeOutcome.Resumption(resumed.ClientOfferedPskModes, resumed.RestoredPeer, TicketRequest = Option.toLanguageExt request)
        | other -> other

    /// <summary>The ticket_request a handshake carries; <c>None</c> for post-handshake events.</summary>
    /// <param name="outcome">The event to read.</param>
    let ticketRequest (outcome: HandshakeOutcome) : TicketRequest option =
        match outcome with
        | :? HandshakeOutcome.FullHandshake as full -> Option.ofLanguageExt full.TicketRequest
        | :? HandshakeOutcome.Resumption as resumed -> Option.ofLanguageExt resumed.TicketRequest
        | _ -> None

/// Active patterns over the core's handshake outcomes.
[<AutoOpen>]
module HandshakeOutcomePatterns =

    /// <summary>
    /// The four cases of a <c>HandshakeOutcome</c>, with their data as F# values:
    /// <c>FullHandshake (offeredPskModes, peer)</c>, <c>Resumption (offeredPskModes, restoredPeer)</c>,
    /// <c>PostHandshakeAuth peer</c> and <c>ExtraTickets count</c>. The core's hierarchy is closed, so these are all.
    /// </summary>
    /// <param name="outcome">The event to classify.</param>
    let (|FullHandshake|Resumption|PostHandshakeAuth|ExtraTickets|) (outcome: HandshakeOutcome) =
        outcome.Match(
            (fun full -> FullHandshake (full.ClientOfferedPskModes, Option.ofLanguageExt full.Peer)),
            (fun resumed -> Resumption (resumed.ClientOfferedPskModes, Option.ofLanguageExt resumed.RestoredPeer)),
            (fun authenticated -> PostHandshakeAuth (Option.ofLanguageExt authenticated.Peer)),
            (fun extra -> ExtraTickets extra.Count))
