/// Runs events through the core the way the shell does: keep the connection, replace it with each decision's Next.
module Tickets.Properties.Lives

open Tickets.Core.Model
open Tickets.Core.Policy
open Tickets.FSharp
open Tickets.Properties.Generators

/// One decision, as an F# Result.
let decide (context: Context) (connection: Connection) (event: Event) : Result<TicketDecision, TicketError> =
    TicketPolicy.decide context connection (toOutcome event)

/// The tickets of a decision as an F# list.
let ticketsOf (decision: TicketDecision) : TicketToIssue list = TicketDecision.tickets decision

/// Sets a count that the generators guarantee to be valid.
let private withCount (connection: Connection) (count: int) : Connection =
    match Connection.withNumTickets count connection with
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
        | Full (_, peer) -> count, Full (offered, peer)
        | Resumed (_, peer) -> count, Resumed (offered, peer)
        | PostHandshakeAuth _
        | Extra _ -> count, event)

let isExtra (event: Event) =
    match event with
    | Extra _ -> true
    | Full _
    | Resumed _
    | PostHandshakeAuth _ -> false
