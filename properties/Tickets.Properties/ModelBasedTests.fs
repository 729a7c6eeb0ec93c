/// The model-based test: random sequences of API calls run against the C# core and the F# reference model,
/// compared after every call: what each call returns, and the whole state (through the model's abstraction functions,
/// ReferenceModel.ofContext and ofConnection).
[<Xunit.Trait("Category", "Unit")>]
module Tickets.Properties.ModelBasedTests

open FsCheck
open FsCheck.FSharp
open FsCheck.Xunit
open Tickets.Core.Model
open Tickets.Core.Policy
open Tickets.Properties.Interop
open Tickets.Properties.Generators
open Tickets.Properties.ReferenceModel

/// One call a server application (or the shell on its behalf) makes. Connection indices wrap around the
/// connections that exist; one connection exists from the start.
type Call =
    | SetServerCount of int
    | SetServerTimeout of uint32
    | SetServerStrict of bool
    | SetServerMode of TicketMode
    | SetServerMaxRequest of int
    | NewConnection
    | SetConnectionCount of index: int * count: int
    | Report of index: int * Event

/// What a call visibly returns, in terms both sides can produce.
type Observation =
    | CountSet of Result<int, TicketErrorKind option>
    | SettingChanged
    | ConnectionCreated of count: int
    | Decided of Result<ModelTicket list * DecisionReason, TicketErrorKind option>

let private call: Gen<Call> =
    let index = Gen.choose (0, 5)
    Gen.frequency
        [ 2, negativeOrCount |> Gen.map SetServerCount
          1, timeout |> Gen.map SetServerTimeout
          1, Gen.elements [ true; false ] |> Gen.map SetServerStrict
          1, mode |> Gen.map SetServerMode
          1, Gen.frequency [ 5, maxTicketRequest; 1, Gen.choose (-10, -1) ] |> Gen.map SetServerMaxRequest
          2, Gen.constant NewConnection
          3, Gen.zip index negativeOrCount |> Gen.map SetConnectionCount
          3, Gen.zip index (handshakeAsking (Gen.optionOf ticketRequest)) |> Gen.map Report
          6, Gen.zip index anyEventAsking |> Gen.map Report ]

let private replaceAt index value list = list |> List.mapi (fun i old -> if i = index then value else old)

/// The core side: a Context and its connections, changed only through the public API.
let private runCore (context: Context, connections: Connection list) (call: Call) =
    let at index = index % List.length connections
    match call with
    | SetServerCount count ->
        match outcomeOf (context.SetNumTickets count) with
        | Ok next -> (next, connections), CountSet (Ok (next.GetNumTickets()))
        | Result.Error kind -> (context, connections), CountSet (Result.Error kind)
    | SetServerTimeout seconds -> (context.WithSessionTimeout seconds, connections), SettingChanged
    | SetServerStrict strict -> (context.WithStrictPskModes strict, connections), SettingChanged
    | SetServerMode mode -> (context.WithTicketMode mode, connections), SettingChanged
    | SetServerMaxRequest max ->
        match outcomeOf (context.SetMaxTicketRequest max) with
        | Ok next -> (next, connections), CountSet (Ok next.MaxTicketRequest)
        | Result.Error kind -> (context, connections), CountSet (Result.Error kind)
    | NewConnection ->
        let connection = Connection.Create context
        (context, connections @ [ connection ]), ConnectionCreated (connection.GetNumTickets())
    | SetConnectionCount (index, count) ->
        let i = at index
        match outcomeOf (connections[i].SetNumTickets count) with
        | Ok next -> (context, replaceAt i next connections), CountSet (Ok (next.GetNumTickets()))
        | Result.Error kind -> (context, connections), CountSet (Result.Error kind)
    | Report (index, event) ->
        let i = at index
        match outcomeOf (TicketPolicy.Decide(context, connections[i], toOutcome event)) with
        | Ok decision ->
            let tickets =
                decision.Tickets
                |> List.ofSeq
                |> List.map (fun ticket -> ticket.Nonce, ticket.LifetimeSeconds, toOption ticket.Peer)
            (context, replaceAt i decision.Next connections), Decided (Ok (tickets, decision.Reason))
        | Result.Error kind -> (context, connections), Decided (Result.Error kind)

/// The model side, the same calls against the reference model.
let private runModel (server: ServerModel, connections: ConnectionModel list) (call: Call) =
    let at index = index % List.length connections
    match call with
    | SetServerCount count ->
        match setCount count with
        | Ok accepted -> ({ server with Count = accepted }, connections), CountSet (Ok accepted)
        | Error kind -> (server, connections), CountSet (Result.Error (Some kind))
    | SetServerTimeout seconds -> ({ server with Timeout = seconds }, connections), SettingChanged
    | SetServerStrict strict -> ({ server with Strict = strict }, connections), SettingChanged
    | SetServerMode mode -> ({ server with Mode = mode }, connections), SettingChanged
    | SetServerMaxRequest max ->
        match setMaxRequest max with
        | Ok accepted -> ({ server with MaxRequest = accepted }, connections), CountSet (Ok accepted)
        | Error kind -> (server, connections), CountSet (Result.Error (Some kind))
    | NewConnection ->
        let connection = connect server
        (server, connections @ [ connection ]), ConnectionCreated connection.Count
    | SetConnectionCount (index, count) ->
        let i = at index
        match setCount count with
        | Ok accepted -> (server, replaceAt i { connections[i] with Count = accepted } connections), CountSet (Ok accepted)
        | Error kind -> (server, connections), CountSet (Result.Error (Some kind))
    | Report (index, event) ->
        let i = at index
        match step server connections[i] event with
        | Ok (tickets, next, reason) -> (server, replaceAt i next connections), Decided (Ok (tickets, reason))
        | Error kind -> (server, connections), Decided (Result.Error (Some kind))

/// Runs both sides call by call and returns the first divergence, if any.
let private firstDivergence (calls: Call list) : string option =
    let rec go coreState modelState stepNumber remaining =
        match remaining with
        | [] -> None
        | call :: rest ->
            let (context, connections), coreSaw = runCore coreState call
            let (server, models), modelSaw = runModel modelState call
            let coreState = ofContext context, List.map ofConnection connections
            if coreSaw <> modelSaw then
                Some (sprintf "step %d %A: core observed %A, model %A" stepNumber call coreSaw modelSaw)
            elif coreState <> (server, models) then
                Some (sprintf "step %d %A: core state %A, model %A" stepNumber call coreState (server, models))
            else
                go (context, connections) (server, models) (stepNumber + 1) rest
    go (Context.Default, [ Connection.Create Context.Default ]) (initialServer, [ connect initialServer ]) 1 calls

[<Property(MaxTest = 500)>]
let ``model: the core and the reference model agree after every call`` () =
    Prop.forAll (Arb.fromGen (Gen.listOf call)) (fun calls ->
        match firstDivergence calls with
        | None -> true |> Prop.label "agreed"
        | Some divergence -> false |> Prop.label divergence)

[<Property>]
let ``model: the reference model itself starts where OpenSSL starts`` () =
    ofContext Context.Default = initialServer
    && ofConnection (Connection.Create Context.Default) = connect initialServer
