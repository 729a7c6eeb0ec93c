/// The reason a decision carries must tell the truth about its number: whatever the context, the connection's count,
/// the kind of handshake, the client's ticket_request and the events after the handshake, the rule named by
/// DecisionReason is the rule that produced the count. The trace and the README show these reasons to learners, so
/// a reason that disagreed with the number would teach the wrong rule.
[<Xunit.Trait("Category", "Unit")>]
module Tickets.Properties.ReasonProperties

open FsCheck
open FsCheck.FSharp
open FsCheck.Xunit
open Tickets.Core.Model
open Tickets.Core.Policy
open Tickets.Core.Protocol
open Tickets.FSharp
open Tickets.Properties.Generators

/// Everything a decision could depend on, generated together so a counterexample shows the whole situation.
type private Situation =
    { Context: Context
      Asked: TicketRequest option
      Life: (int option * Event) list }

let private situation: Gen<Situation> =
    gen {
        let! context = context
        let! maximum = Gen.frequency [ 2, Gen.choose (0, 10); 1, Gen.constant Context.DefaultMaxTicketRequest ]
        let! asked =
            Gen.optionOf (Gen.map2 (fun fresh resumed -> TicketRequest(byte fresh, byte resumed)) (Gen.choose (0, 12)) (Gen.choose (0, 12)))
        let! life = connectionLife
        let context =
            match Context.withMaxTicketRequest maximum context with
            | Ok next -> next
            | Result.Error kind -> failwithf "maximum %d was refused with %A" maximum kind
        return { Context = context; Asked = asked; Life = life }
    }

let private outcomeWith (asked: TicketRequest option) (event: Event) : HandshakeOutcome =
    match event with
    | Full (offered, peer) -> HandshakeOutcome.full offered peer |> HandshakeOutcome.withTicketRequest asked
    | Resumed (offered, peer) -> HandshakeOutcome.resumption offered peer |> HandshakeOutcome.withTicketRequest asked
    | PostHandshakeAuth _
    | Extra _ -> toOutcome event

/// Each event with the connection as it stood when the event was decided (count already set) and the decision.
let private decisions (s: Situation) : (Event * Connection * TicketDecision) list =
    let folder (connection: Connection, decided) (count: int option, event: Event) =
        let connection =
            match count with
            | Some n ->
                match Connection.withNumTickets n connection with
                | Ok next -> next
                | Result.Error kind -> failwithf "count %d was refused with %A" n kind
            | None -> connection
        match TicketPolicy.decide s.Context connection (outcomeWith s.Asked event) with
        | Ok decision -> decision.Next, (event, connection, decision) :: decided
        | Result.Error kind -> failwithf "%A was refused with %A" event kind
    s.Life |> List.fold folder (Connection.Create s.Context, []) |> snd |> List.rev

/// What each reason claims about the decision, checked against the facts it claims them from.
let private agrees (s: Situation) (event: Event, before: Connection, decision: TicketDecision) : bool =
    let isHandshake = match event with Full _ | Resumed _ -> true | _ -> false
    let isAuthentication = match event with PostHandshakeAuth _ -> true | _ -> false
    // Which handshake kind governs: the event itself for a handshake, the connection's for what follows.
    let resumed = match event with Resumed _ -> true | Full _ -> false | _ -> before.Resumed
    let offeredModes = match event with Full (offered, _) | Resumed (offered, _) -> offered | _ -> before.ClientOfferedPskModes
    let forbidden = s.Context.StrictPskModes && not offeredModes
    match decision.Reason with
    | DecisionReason.FullHandshakeCount ->
        isHandshake && not resumed && not forbidden && s.Asked.IsNone
        && before.NumTickets > 0 && decision.Count = before.NumTickets
    | DecisionReason.ResumedAtMostOne ->
        isHandshake && resumed && not forbidden && s.Asked.IsNone
        && before.NumTickets > 0 && decision.Count = 1
    | DecisionReason.CountZero ->
        (isHandshake || isAuthentication) && not forbidden && before.NumTickets = 0 && decision.Count = 0
    | DecisionReason.PostHandshakeAuthRestart ->
        isAuthentication && not resumed && not forbidden && s.Asked.IsNone
        && before.NumTickets > 0 && decision.Count = before.NumTickets
    | DecisionReason.PostHandshakeAuthResumedAtMostOne ->
        isAuthentication && resumed && not forbidden && s.Asked.IsNone
        && before.NumTickets > 0 && decision.Count = 1
    | DecisionReason.ExtraTicketsRequested ->
        (match event with Extra n -> decision.Count = n | _ -> false) && not forbidden
    | DecisionReason.StrictPskModesNone -> forbidden && decision.Count = 0
    | DecisionReason.TicketRequestHonoured ->
        match s.Asked with
        | Some asked when (isHandshake || isAuthentication) && not forbidden && before.NumTickets > 0 ->
            let wanted = int (if resumed then asked.ResumptionCount else asked.NewSessionCount)
            decision.Count = min wanted s.Context.MaxTicketRequest
        | _ -> false
    | _ -> false

[<Property>]
let ``every decision's reason agrees with its number and with the facts the reason names`` () =
    Prop.forAll (Arb.fromGen situation) (fun s -> decisions s |> List.forall (agrees s))

[<Property>]
let ``a handshake or authentication that issues nothing names why: count 0, strict modes, or a request for 0`` () =
    Prop.forAll (Arb.fromGen situation) (fun s ->
        decisions s
        |> List.forall (fun (event, _, decision) ->
            match event with
            | Extra _ -> true
            | Full _
            | Resumed _
            | PostHandshakeAuth _ ->
                decision.Count > 0
                || List.contains
                    decision.Reason
                    [ DecisionReason.CountZero; DecisionReason.StrictPskModesNone; DecisionReason.TicketRequestHonoured ]))

[<Property>]
let ``the capped reasons never exceed one ticket, whatever the count`` () =
    Prop.forAll (Arb.fromGen situation) (fun s ->
        decisions s
        |> List.forall (fun (_, _, decision) ->
            match decision.Reason with
            | DecisionReason.ResumedAtMostOne
            | DecisionReason.PostHandshakeAuthResumedAtMostOne -> decision.Count <= 1
            | DecisionReason.CountZero
            | DecisionReason.StrictPskModesNone -> decision.Count = 0
            | _ -> true))

/// Every reason the issue lists has a sentence of its own: the sentence is what a person reads in the trace.
[<Property>]
let ``each reason has its own sentence, and the sentence says what the rule says`` () =
    let reasons = System.Enum.GetValues<DecisionReason>() |> List.ofArray
    let sentences = reasons |> List.map (fun reason -> reason.Describe())
    let says (reason: DecisionReason) (words: string) = reason.Describe().Contains(words: string)
    List.length reasons = 8
    && (sentences |> List.distinct |> List.length) = 8
    && sentences |> List.forall (fun sentence -> not (sentence.StartsWith "Unknown"))
    && says DecisionReason.FullHandshakeCount "full handshake"
    && says DecisionReason.ResumedAtMostOne "at most one"
    && says DecisionReason.CountZero "count is zero"
    && says DecisionReason.PostHandshakeAuthRestart "restarted"
    && says DecisionReason.PostHandshakeAuthResumedAtMostOne "at most one"
    && says DecisionReason.ExtraTicketsRequested "on top of the count"
    && says DecisionReason.StrictPskModesNone "psk_key_exchange_modes"
    && says DecisionReason.TicketRequestHonoured "ticket_request"
