/// Runs events through the core the way the shell does: keep the connection, replace it with each decision's Next.
module Tickets.Properties.Lives

open Tickets.Core.Model
open Tickets.Core.Policy
open Tickets.Properties.Interop
open Tickets.Properties.Generators

/// One decision, as an F# Result.
let decide (context: Context) (connection: Connection) (event: Event) : Result<TicketDecision, TicketErrorKind option> =
    outcomeOf (TicketPolicy.Decide(context, connection, toOutcome event))

/// The tickets of a decision as an F# list.
let ticketsOf (decision: TicketDecision) : TicketToIssue list = decision.Tickets |> List.ofSeq

/// Sets a count that the generators guarantee to be valid.
let private withCount (connection: Connection) (count: int) : Connection =
    match outcomeOf (connection.SetNumTickets count) with
    | Ok next -> next
    | Result.Error kind -> failwithf "count %d was refused with %A" count kind

/// Lives a well-ordered connection life and returns every event with its decision, in order. A refusal here is a
/// bug (the life is well-ordered), so it fails loudly rather than being skipped.
let live (context: Context) (life: (int option * Event) list) : (Event * TicketDecision) list =
    let folder (connection: Connection, decided) (count: int option, event: Event) =
        let connection = count |> Option.fold withCount connection
        match decide context connection event with
        | Ok decision -> decision.Next, (event, decision) :: decided
        | Result.Error kind -> failwithf "%A was refused with %A" event kind
    life |> List.fold folder (Connection.Create context, []) |> snd |> List.rev

/// The same life with every handshake's psk_key_exchange_modes flag forced to a value.
let withOfferedModes (offered: bool) (life: (int option * Event) list) =
    life
    |> List.map (fun (count, event) ->
        match event with
        | Full (_, peer, asked) -> count, Full (offered, peer, asked)
        | Resumed (_, peer, asked) -> count, Resumed (offered, peer, asked)
        | PostHandshakeAuth _
        | Extra _ -> count, event)

/// The same life with no ticket_request in its handshake.
let withoutRequest (life: (int option * Event) list) =
    life
    |> List.map (fun (count, event) ->
        match event with
        | Full (offered, peer, _) -> count, Full (offered, peer, None)
        | Resumed (offered, peer, _) -> count, Resumed (offered, peer, None)
        | PostHandshakeAuth _
        | Extra _ -> count, event)

/// The ticket_request a life's handshake sent, if any.
let askedIn (life: (int option * Event) list) =
    match life with
    | (_, Full (_, _, asked)) :: _
    | (_, Resumed (_, _, asked)) :: _ -> asked
    | _ -> failwith "a life starts with a handshake"

/// Whether a life's handshake resumed a session.
let resumedIn (life: (int option * Event) list) =
    match life with
    | (_, Resumed _) :: _ -> true
    | (_, Full _) :: _ -> false
    | _ -> failwith "a life starts with a handshake"

let isExtra (event: Event) =
    match event with
    | Extra _ -> true
    | Full _
    | Resumed _
    | PostHandshakeAuth _ -> false
