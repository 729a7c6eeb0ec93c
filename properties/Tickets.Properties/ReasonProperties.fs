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
open Tickets.Properties.Interop
open Tickets.Properties.Generators
open Tickets.Properties.Lives

/// Everything a decision could depend on, generated together so a counterexample shows the whole situation. Requests
/// and maxima stay small, so that every reason, a request for zero included, comes up often.
type private Situation = { Context: Context; Life: (int option * Event) list }

let private situation: Gen<Situation> =
    gen {
        let! context = context
        let! maximum = Gen.frequency [ 2, Gen.choose (0, 10); 1, Gen.constant Context.DefaultMaxTicketRequest ]
        let! asked =
            Gen.optionOf (Gen.map2 (fun fresh resumed -> TicketRequest(byte fresh, byte resumed)) (Gen.choose (0, 12)) (Gen.choose (0, 12)))
        let! life = lifeStartingWith (handshakeAsking (Gen.constant asked))
        let context =
            match outcomeOf (context.SetMaxTicketRequest maximum) with
            | Ok next -> next
            | Result.Error kind -> failwithf "maximum %d was refused with %A" maximum kind
        return { Context = context; Life = life }
    }

let private decisions (s: Situation) : (Event * TicketDecision) list = live s.Context s.Life

[<Property>]
let ``every decision's reason is the rule the reference model applies, with the number that rule gives`` () =
    Prop.forAll (Arb.fromGen situation) (fun s ->
        let core = decisions s |> List.map (fun (event, decision) -> event, decision.Count, decision.Reason)
        let model = ReferenceModel.live (ReferenceModel.ofContext s.Context) s.Life
        core = model |> Prop.label (sprintf "core %A, model %A" core model))

[<Property>]
let ``a handshake or authentication that issues nothing names why: count 0, strict modes, or a request for 0`` () =
    Prop.forAll (Arb.fromGen situation) (fun s ->
        decisions s
        |> List.forall (fun (event, decision) ->
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
        |> List.forall (fun (_, decision) ->
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
