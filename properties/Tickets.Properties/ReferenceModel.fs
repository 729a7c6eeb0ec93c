/// A small reference model of ticket issuance, written from the ten rules (README) without looking at the C# core.
/// It keeps plain F# values and states each rule as directly as possible; the model-based test runs it beside the
/// core and demands the same observations after every call.
module Tickets.Properties.ReferenceModel

open Tickets.Core.Model
open Tickets.Properties.Generators

let private oneWeek = 604_800u

type ServerModel =
    { Count: int
      Timeout: uint32
      Strict: bool
      Mode: TicketMode }

type ConnectionModel =
    { Count: int
      Sent: int
      Resumed: bool
      HandshakeDone: bool
      Nonce: uint64
      Peer: PeerIdentity option
      OfferedModes: bool
      Authentications: int
      Extras: int }

/// A ticket as the model sees it: nonce, lifetime, identity.
type ModelTicket = uint64 * uint32 * PeerIdentity option

/// Rule 1: a fresh server issues 2 tickets, keeps sessions 7200 s, is lenient about PSK modes.
let initialServer: ServerModel =
    { Count = 2; Timeout = 7200u; Strict = false; Mode = TicketMode.Stateless }

/// Rule 2: a connection starts with the server's count and nothing else carried over.
let connect (server: ServerModel) : ConnectionModel =
    { Count = server.Count
      Sent = 0
      Resumed = false
      HandshakeDone = false
      Nonce = 0UL
      Peer = None
      OfferedModes = false
      Authentications = 0
      Extras = 0 }

/// Rule 1: negative counts are refused, anything else replaces the count.
let setCount (requested: int) : Result<int, TicketErrorKind> =
    if requested < 0 then Error TicketErrorKind.NegativeCount else Ok requested

/// Rule 10.
let lifetime (server: ServerModel) : uint32 = if server.Timeout > oneWeek then oneWeek else server.Timeout

/// Rule 9: n consecutive nonces from the connection's counter.
let private mint (server: ServerModel) (conn: ConnectionModel) (n: int) : ModelTicket list =
    List.init n (fun i -> conn.Nonce + uint64 i, lifetime server, conn.Peer)

/// How many tickets a handshake or an authentication yields, and why (rules 3, 4, 5, 7).
let private flight (server: ServerModel) (conn: ConnectionModel) (afterAuthentication: bool) : int * DecisionReason =
    if server.Strict && not conn.OfferedModes then 0, DecisionReason.StrictPskModesNone
    elif conn.Count = 0 then 0, DecisionReason.CountZero
    elif conn.Resumed then
        1, (if afterAuthentication then DecisionReason.PostHandshakeAuthResumedAtMostOne else DecisionReason.ResumedAtMostOne)
    else
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
    | Full (offered, peer)
    | Resumed (offered, peer) ->
        if conn.HandshakeDone then
            Error TicketErrorKind.HandshakeAlreadyComplete
        else
            let resumed = (match event with Resumed _ -> true | _ -> false)
            let started =
                { conn with HandshakeDone = true; Resumed = resumed; OfferedModes = offered; Peer = peer; Sent = 0 }
            let n, reason = flight server started false
            Ok (issue server started n reason false)
    | PostHandshakeAuth peer ->
        if not conn.HandshakeDone then
            Error TicketErrorKind.PostHandshakeAuthBeforeHandshake
        else
            let restarted = { conn with Peer = peer; Sent = 0; Authentications = conn.Authentications + 1 }
            let n, reason = flight server restarted true
            Ok (issue server restarted n reason false)
    | Extra n when n < 0 -> Error TicketErrorKind.NegativeExtraTicketCount
    | Extra _ when not conn.HandshakeDone -> Error TicketErrorKind.ExtraTicketsBeforeHandshake
    | Extra _ when server.Strict && not conn.OfferedModes -> Ok (issue server conn 0 DecisionReason.StrictPskModesNone true)
    | Extra n -> Ok (issue server conn n DecisionReason.ExtraTicketsRequested true)
