/// A small reference model of ticket issuance, written from the ten rules (README) and RFC 9149 without looking at the
/// C# core. It keeps plain F# values and states each rule as directly as possible; the model-based test runs it beside
/// the core and demands the same observations after every call, and the other properties take from it what the rules
/// predict (how many tickets, and why), so the precedence between the rules is written here and nowhere else.
module Tickets.Properties.ReferenceModel

open Tickets.Core.Model
open Tickets.Core.Protocol
open Tickets.Properties.Interop
open Tickets.Properties.Generators

let private oneWeek = 604_800u

type ServerModel =
    { Count: int
      Timeout: uint32
      Strict: bool
      Mode: TicketMode
      /// The most tickets a ticket_request can obtain.
      MaxRequest: int }

type ConnectionModel =
    { Count: int
      Sent: int
      Resumed: bool
      HandshakeDone: bool
      Nonce: uint64
      Peer: PeerIdentity option
      OfferedModes: bool
      /// The ticket_request of the connection's ClientHello, honoured again after each authentication.
      Asked: TicketRequest option
      Authentications: int
      Extras: int }

/// A ticket as the model sees it: nonce, lifetime, identity.
type ModelTicket = uint64 * uint32 * PeerIdentity option

/// Rule 1: a fresh server issues 2 tickets, keeps sessions 7200 s, is lenient about PSK modes; RFC 9149 requests
/// obtain at most 8.
let initialServer: ServerModel =
    { Count = 2; Timeout = 7200u; Strict = false; Mode = TicketMode.Stateless; MaxRequest = 8 }

/// Rule 2: a connection starts with the server's count and nothing else carried over.
let connect (server: ServerModel) : ConnectionModel =
    { Count = server.Count
      Sent = 0
      Resumed = false
      HandshakeDone = false
      Nonce = 0UL
      Peer = None
      OfferedModes = false
      Asked = None
      Authentications = 0
      Extras = 0 }

/// Rule 1: negative counts are refused, anything else replaces the count.
let setCount (requested: int) : Result<int, TicketErrorKind> =
    if requested < 0 then Error TicketErrorKind.NegativeCount else Ok requested

/// The same for the ticket_request maximum.
let setMaxRequest (requested: int) : Result<int, TicketErrorKind> =
    if requested < 0 then Error TicketErrorKind.NegativeTicketRequestLimit else Ok requested

/// Rule 10.
let lifetime (server: ServerModel) : uint32 = if server.Timeout > oneWeek then oneWeek else server.Timeout

/// RFC 9149 §3: which of the client's two counts applies, by the kind of handshake the connection made.
let requested (resumed: bool) (asked: TicketRequest) : int =
    int (if resumed then asked.ResumptionCount else asked.NewSessionCount)

/// Rule 9: n consecutive nonces from the connection's counter.
let private mint (server: ServerModel) (conn: ConnectionModel) (n: int) : ModelTicket list =
    List.init n (fun i -> conn.Nonce + uint64 i, lifetime server, conn.Peer)

/// How many tickets a handshake or an authentication yields, and why: the precedence between the rules. Strict PSK
/// modes forbid every ticket (rule 7, RFC 8446 §4.2.9); a count of zero means none (rule 3); a ticket_request replaces
/// the count and the resumption cap, up to the server's maximum (RFC 9149); a resumed connection gets at most one
/// (rules 3, 4); otherwise the count (rules 3, 5).
let flight (server: ServerModel) (conn: ConnectionModel) (afterAuthentication: bool) : int * DecisionReason =
    if server.Strict && not conn.OfferedModes then
        0, DecisionReason.StrictPskModesNone
    elif conn.Count = 0 then
        0, DecisionReason.CountZero
    else
        match conn.Asked with
        | Some asked -> min (requested conn.Resumed asked) server.MaxRequest, DecisionReason.TicketRequestHonoured
        | None when conn.Resumed ->
            1, (if afterAuthentication then DecisionReason.PostHandshakeAuthResumedAtMostOne else DecisionReason.ResumedAtMostOne)
        | None ->
            conn.Count, (if afterAuthentication then DecisionReason.PostHandshakeAuthRestart else DecisionReason.FullHandshakeCount)

let private issue (server: ServerModel) (conn: ConnectionModel) (n: int) (reason: DecisionReason) (isExtra: bool) =
    let tickets = mint server conn n
    let after =
        { conn with
            Nonce = conn.Nonce + uint64 n
            Sent = conn.Sent + n
            Extras = if isExtra then conn.Extras + n else conn.Extras }
    tickets, after, reason

/// What one event does to a connection: the tickets, the new connection and the reason, or the refusal.
let step (server: ServerModel) (conn: ConnectionModel) (event: Event)
    : Result<ModelTicket list * ConnectionModel * DecisionReason, TicketErrorKind> =
    match event with
    | Full (offered, peer, asked)
    | Resumed (offered, peer, asked) ->
        if conn.HandshakeDone then
            Error TicketErrorKind.HandshakeAlreadyComplete
        else
            let resumed = (match event with Resumed _ -> true | _ -> false)
            let started =
                { conn with
                    HandshakeDone = true
                    Resumed = resumed
                    OfferedModes = offered
                    Peer = peer
                    Asked = asked
                    Sent = 0 }
            let n, reason = flight server started false
            Ok (issue server started n reason false)
    | PostHandshakeAuth peer ->
        if not conn.HandshakeDone then
            Error TicketErrorKind.PostHandshakeAuthBeforeHandshake
        else
            let restarted = { conn with Peer = peer; Sent = 0; Authentications = conn.Authentications + 1 }
            let n, reason = flight server restarted true
            Ok (issue server restarted n reason false)
    // Rule 6: extras ignore the count, the resumption cap and ticket_request alike; only strict modes stop them.
    | Extra n when n < 0 -> Error TicketErrorKind.NegativeExtraTicketCount
    | Extra _ when not conn.HandshakeDone -> Error TicketErrorKind.ExtraTicketsBeforeHandshake
    | Extra _ when server.Strict && not conn.OfferedModes -> Ok (issue server conn 0 DecisionReason.StrictPskModesNone true)
    | Extra n -> Ok (issue server conn n DecisionReason.ExtraTicketsRequested true)

/// A well-ordered connection life as the model lives it: each event with the model's flight (count and reason). The
/// counts set before events (Some n) go through rule 1 like the core's SSL_set_num_tickets.
let live (server: ServerModel) (life: (int option * Event) list) : (Event * int * DecisionReason) list =
    let folder (conn: ConnectionModel, lived) (count: int option, event: Event) =
        let conn =
            match count |> Option.map setCount with
            | Some (Ok n) -> { conn with Count = n }
            | Some (Error kind) -> failwithf "count %A was refused with %A" count kind
            | None -> conn
        match step server conn event with
        | Ok (tickets, next, reason) -> next, (event, List.length tickets, reason) :: lived
        | Error kind -> failwithf "%A was refused with %A" event kind
    life |> List.fold folder (connect server, []) |> snd |> List.rev

/// The abstraction function for the server: the core's context in the model's terms.
let ofContext (context: Context) : ServerModel =
    { Count = context.NumTickets
      Timeout = context.SessionTimeoutSeconds
      Strict = context.StrictPskModes
      Mode = context.TicketMode
      MaxRequest = context.MaxTicketRequest }

/// The abstraction function for a connection: the core's connection in the model's terms.
let ofConnection (connection: Connection) : ConnectionModel =
    { Count = connection.NumTickets
      Sent = connection.SentTickets
      Resumed = connection.Resumed
      HandshakeDone = connection.HandshakeComplete
      Nonce = connection.NextNonce
      Peer = toOption connection.Peer
      OfferedModes = connection.ClientOfferedPskModes
      Asked = toOption connection.TicketRequest
      Authentications = connection.PostHandshakeAuthentications
      Extras = connection.ExtraTicketsIssued }
