/// RFC 9149 ticket_request against every earlier rule: the request replaces the count and the resumption cap, up to
/// the server's maximum, after handshakes and authentications; a zero count and strict PSK modes still win; extras,
/// nonces, lifetimes and identities are untouched; and without the extension nothing changes. How the request combines
/// with the other rules is the reference model's (ReferenceModel.flight); these properties hold the core to it and
/// check the consequences one by one.
[<Xunit.Trait("Category", "Unit")>]
module Tickets.Properties.TicketRequestProperties

open FsCheck
open FsCheck.FSharp
open FsCheck.Xunit
open Tickets.Core.Model
open Tickets.Core.Policy
open Tickets.Properties.Interop
open Tickets.Properties.Generators
open Tickets.Properties.Lives

let private withMaximum (context: Context) (max: int) : Context =
    match outcomeOf (context.SetMaxTicketRequest max) with
    | Ok context -> context
    | Result.Error kind -> failwithf "maximum %d was refused with %A" max kind

type private Setup = { Context: Context; Life: (int option * Event) list }

let private setups: Arbitrary<Setup> =
    gen {
        let! context = Generators.context
        let! max = maxTicketRequest
        let! life = connectionLifeAsking
        return { Context = withMaximum context max; Life = life }
    }
    |> Arb.fromGen

/// Each decision's number and reason, in the model's terms.
let private flights (lived: (Event * TicketDecision) list) =
    lived |> List.map (fun (event, decision) -> event, decision.Count, decision.Reason)

[<Property>]
let ``model: every flight of a life, with or without a request, is the reference model's`` () =
    Prop.forAll setups (fun setup ->
        let core = flights (live setup.Context setup.Life)
        let model = ReferenceModel.live (ReferenceModel.ofContext setup.Context) setup.Life
        core = model |> Prop.label (sprintf "core %A, model %A" core model))

[<Property>]
let ``without the extension, the maximum changes no decision at all`` () =
    Prop.forAll setups (fun setup ->
        let silent = withoutRequest setup.Life
        let decisions lived = lived |> List.map snd
        decisions (live (withMaximum setup.Context Context.DefaultMaxTicketRequest) silent) = decisions (live setup.Context silent))

[<Property>]
let ``a flight never exceeds what the client asked for nor the server maximum`` () =
    Prop.forAll setups (fun setup ->
        match askedIn setup.Life with
        | None -> true
        | Some asked ->
            let resumed = resumedIn setup.Life
            live setup.Context setup.Life
            |> List.forall (fun (event, decision) ->
                isExtra event
                || (decision.Count <= ReferenceModel.requested resumed asked && decision.Count <= setup.Context.MaxTicketRequest)))

[<Property>]
let ``rule 3 with a request: count zero still issues nothing after handshakes and authentications`` () =
    Prop.forAll setups (fun setup ->
        let zero = setup.Context.WithStrictPskModes(false).SetNumTickets(0) |> outcomeOf
        match zero with
        | Result.Error kind -> failwithf "refused with %A" kind
        | Ok zero ->
            let unchangedCounts = setup.Life |> List.map (fun (_, event) -> None, event)
            live zero unchangedCounts
            |> List.forall (fun (event, decision) ->
                isExtra event || (decision.Count = 0 && decision.Reason = DecisionReason.CountZero)))

[<Property>]
let ``rule 4 with a request: a resumption issues what the model says, more than one when asked for more`` () =
    Prop.forAll (Arb.fromGen (Gen.zip ticketRequest maxTicketRequest)) (fun (asked, max) ->
        let context = withMaximum Context.Default max
        let resumption = [ None, Resumed (true, None, Some asked) ]
        match live context resumption, ReferenceModel.live (ReferenceModel.ofContext context) resumption with
        | [ _, decision ], [ _, expected, _ ] ->
            decision.Count = expected
            && decision.Next.Resumed
            // OpenSSL's cap is one ticket per resumption; a client asking for more, under a maximum that allows more, gets more.
            && (asked.ResumptionCount < 2uy || max < 2 || decision.Count >= 2)
        | core, model -> failwithf "one decision expected, got %A and %A" core model)

[<Property>]
let ``rule 5 with a request: each authentication issues the handshake's number again, with the new identity`` () =
    Prop.forAll (Arb.fromGen (Gen.zip3 ticketRequest peerOption (Gen.elements [ true; false ]))) (fun (asked, peer, resumed) ->
        let handshake = if resumed then Resumed (true, None, Some asked) else Full (true, None, Some asked)
        let life = [ None, handshake; None, PostHandshakeAuth peer; None, PostHandshakeAuth None ]
        let lived = live Context.Default life
        let _, handshakeCount, _ = ReferenceModel.live ReferenceModel.initialServer life |> List.head
        let _, authenticated = lived[1]
        (lived |> List.forall (fun (_, decision) -> decision.Count = handshakeCount))
        && (ticketsOf authenticated |> List.forall (fun ticket -> toOption ticket.Peer = peer))
        && authenticated.Next.SentTickets = handshakeCount)

[<Property>]
let ``rule 6 with a request: extra tickets are exactly what the application asked for`` () =
    Prop.forAll setups (fun setup ->
        let context = setup.Context.WithStrictPskModes false
        let asking = live context setup.Life
        let silent = live context (withoutRequest setup.Life)
        List.zip asking silent
        |> List.forall (fun ((event, asked), (_, unasked)) ->
            match event with
            | Extra n -> asked.Count = n && unasked.Count = n && asked.Reason = DecisionReason.ExtraTicketsRequested
            | Full _
            | Resumed _
            | PostHandshakeAuth _ -> true))

[<Property>]
let ``rule 7 with a request: strict mode without psk_key_exchange_modes still issues nothing`` () =
    Prop.forAll setups (fun setup ->
        let strict = setup.Context.WithStrictPskModes true
        live strict (withOfferedModes false setup.Life)
        |> List.forall (fun (_, decision) -> decision.Count = 0 && decision.Reason = DecisionReason.StrictPskModesNone))

[<Property>]
let ``rule 8 with a request: stateful and stateless modes issue the same`` () =
    Prop.forAll setups (fun setup ->
        let decisions mode = live (setup.Context.WithTicketMode mode) setup.Life |> List.map snd
        decisions TicketMode.Stateful = decisions TicketMode.Stateless)

[<Property>]
let ``rules 9 and 10 with a request: consecutive nonces from 0 and the clamped lifetime on every ticket`` () =
    Prop.forAll setups (fun setup ->
        let tickets = live setup.Context setup.Life |> List.collect (snd >> ticketsOf)
        (tickets |> List.map (fun ticket -> ticket.Nonce)) = List.init tickets.Length uint64
        && tickets |> List.forall (fun ticket -> ticket.LifetimeSeconds = setup.Context.TicketLifetimeSeconds))

[<Property>]
let ``the connection remembers the request of its handshake and the expected count is the decision's`` () =
    Prop.forAll setups (fun setup ->
        let _, handshake = setup.Life.Head
        let fresh = Connection.Create setup.Context
        let outcome = toOutcome handshake
        match outcomeOf (TicketPolicy.Decide(setup.Context, fresh, outcome)),
              outcomeOf (TicketPolicy.ExpectedTicketCount(setup.Context, fresh, outcome)) with
        | Ok decision, Ok expected -> toOption decision.Next.TicketRequest = askedIn setup.Life && expected = decision.Count
        | _ -> false)

[<Property(Arbitrary = [| typeof<Arbitraries> |])>]
let ``a negative maximum is refused and leaves the context as it was`` (NegativeInt max) (context: Context) =
    outcomeOf (context.SetMaxTicketRequest max) = Result.Error (Some TicketErrorKind.NegativeTicketRequestLimit)
