/// RFC 9149 ticket_request against every earlier rule: the request replaces the count and the resumption cap, up to
/// the server's maximum, after handshakes and authentications; a zero count and strict PSK modes still win; extras,
/// nonces, lifetimes and identities are untouched; and without the extension nothing changes.
[<Xunit.Trait("Category", "Unit")>]
module Tickets.Properties.TicketRequestProperties

open FsCheck
open FsCheck.FSharp
open FsCheck.Xunit
open Tickets.Core.Model
open Tickets.Core.Policy
open Tickets.Core.Protocol
open Tickets.FSharp
open Tickets.Properties.Generators
open Tickets.Properties.Lives

/// Requests around the interesting values: zero, one, the default maximum and the byte's top.
let private request: Gen<TicketRequest> =
    let field = Gen.frequency [ 3, Gen.choose (0, 3); 2, Gen.choose (4, 12); 1, Gen.choose (13, 255) ] |> Gen.map byte
    Gen.map2 (fun fresh resumed -> TicketRequest(fresh, resumed)) field field

/// Maxima from zero to above any request, the default among them.
let private maximum: Gen<int> =
    Gen.frequency [ 1, Gen.constant Context.DefaultMaxTicketRequest; 2, Gen.choose (0, 10); 1, Gen.choose (11, 300) ]

let private withMaximum (context: Context) (max: int) : Context =
    match Context.withMaxTicketRequest max context with
    | Ok context -> context
    | Result.Error kind -> failwithf "maximum %d was refused with %A" max kind

/// The outcome of an event, with the ClientHello's ticket_request attached to handshakes.
let private outcomeWith (asked: TicketRequest option) (event: Event) : HandshakeOutcome =
    match event with
    | Full (offered, peer) -> HandshakeOutcome.full offered peer |> HandshakeOutcome.withTicketRequest asked
    | Resumed (offered, peer) -> HandshakeOutcome.resumption offered peer |> HandshakeOutcome.withTicketRequest asked
    | PostHandshakeAuth _
    | Extra _ -> toOutcome event

/// Lives a well-ordered life whose handshake carried <paramref name="asked"/>, like Lives.live.
let private liveAsking (context: Context) (asked: TicketRequest option) (life: (int option * Event) list) =
    let folder (connection: Connection, decided) (count: int option, event: Event) =
        let connection =
            match count with
            | Some n ->
                match Connection.withNumTickets n connection with
                | Ok next -> next
                | Result.Error kind -> failwithf "count %d was refused with %A" n kind
            | None -> connection
        match TicketPolicy.decide context connection (outcomeWith asked event) with
        | Ok decision -> decision.Next, (event, connection, decision) :: decided
        | Result.Error kind -> failwithf "%A was refused with %A" event kind
    life |> List.fold folder (Connection.Create context, []) |> snd |> List.rev

/// The request-aware part of the reference model: how many tickets a handshake or an authentication issues, and why,
/// given the connection as it stands when the event completes (count already set, handshake kind known).
let private expectedFlight
    (context: Context)
    (asked: TicketRequest option)
    (resumed: bool)
    (offeredModes: bool)
    (count: int)
    (afterAuthentication: bool)
    : int * DecisionReason =
    if context.StrictPskModes && not offeredModes then 0, DecisionReason.StrictPskModesNone
    elif count = 0 then 0, DecisionReason.CountZero
    else
        match asked with
        | Some r ->
            min (int (if resumed then r.ResumptionCount else r.NewSessionCount)) context.MaxTicketRequest,
            DecisionReason.TicketRequestHonoured
        | None when resumed ->
            1, (if afterAuthentication then DecisionReason.PostHandshakeAuthResumedAtMostOne else DecisionReason.ResumedAtMostOne)
        | None ->
            count, (if afterAuthentication then DecisionReason.PostHandshakeAuthRestart else DecisionReason.FullHandshakeCount)

let private handshakeOf (life: (int option * Event) list) =
    match life with
    | (_, Full (offered, _)) :: _ -> false, offered
    | (_, Resumed (offered, _)) :: _ -> true, offered
    | _ -> failwith "a life starts with a handshake"

type private Setup = { Context: Context; Asked: TicketRequest option; Life: (int option * Event) list }

let private setups: Arbitrary<Setup> =
    gen {
        let! context = Generators.context
        let! max = maximum
        let! asked = Gen.optionOf request
        let! life = connectionLife
        return { Context = withMaximum context max; Asked = asked; Life = life }
    }
    |> Arb.fromGen

[<Property>]
let ``model: every flight of a life with or without a request is the request-aware reference model's`` () =
    Prop.forAll setups (fun setup ->
        let resumed, offered = handshakeOf setup.Life
        liveAsking setup.Context setup.Asked setup.Life
        |> List.forall (fun (event, before, decision) ->
            match event with
            | Full _
            | Resumed _ ->
                (decision.Count, decision.Reason) = expectedFlight setup.Context setup.Asked resumed offered before.NumTickets false
            | PostHandshakeAuth _ ->
                (decision.Count, decision.Reason) = expectedFlight setup.Context setup.Asked resumed offered before.NumTickets true
            | Extra n ->
                let strictNone = setup.Context.StrictPskModes && not offered
                decision.Count = (if strictNone then 0 else n)))

[<Property>]
let ``without the extension, the maximum changes no decision at all`` () =
    Prop.forAll setups (fun setup ->
        let atDefault = liveAsking (withMaximum setup.Context Context.DefaultMaxTicketRequest) None setup.Life
        let atGenerated = liveAsking setup.Context None setup.Life
        let decisions lived = lived |> List.map (fun (_, _, decision: TicketDecision) -> decision)
        decisions atDefault = decisions atGenerated
        && decisions atGenerated = (live setup.Context setup.Life |> List.map snd))

[<Property>]
let ``a flight never exceeds what the client asked for nor the server maximum`` () =
    Prop.forAll setups (fun setup ->
        match setup.Asked with
        | None -> true
        | Some asked ->
            let resumed, _ = handshakeOf setup.Life
            let wanted = int (if resumed then asked.ResumptionCount else asked.NewSessionCount)
            liveAsking setup.Context setup.Asked setup.Life
            |> List.forall (fun (event, _, decision) ->
                isExtra event || (decision.Count <= wanted && decision.Count <= setup.Context.MaxTicketRequest)))

[<Property>]
let ``rule 3 with a request: count zero still issues nothing after handshakes and authentications`` () =
    Prop.forAll setups (fun setup ->
        let zero = setup.Context |> Context.withStrictPskModes false |> Context.withNumTickets 0
        match zero with
        | Result.Error kind -> failwithf "refused with %A" kind
        | Ok zero ->
            let unchangedCounts = setup.Life |> List.map (fun (_, event) -> None, event)
            liveAsking zero setup.Asked unchangedCounts
            |> List.forall (fun (event, _, decision) ->
                isExtra event || (decision.Count = 0 && decision.Reason = DecisionReason.CountZero)))

[<Property>]
let ``rule 4 with a request: a resumption may issue more than one, exactly as many as asked up to the maximum`` () =
    Prop.forAll (Arb.fromGen (Gen.zip request maximum)) (fun (asked, max) ->
        let context = withMaximum Context.Default max
        match TicketPolicy.decide context (Connection.ofContext context) (outcomeWith (Some asked) (Resumed (true, None))) with
        | Ok decision -> decision.Count = min (int asked.ResumptionCount) max && decision.Next.Resumed
        | Result.Error _ -> false)

[<Property>]
let ``rule 5 with a request: each authentication issues the requested number again, with the new identity`` () =
    Prop.forAll (Arb.fromGen (Gen.zip3 request peerOption (Gen.elements [ true; false ]))) (fun (asked, peer, resumed) ->
        let handshake = if resumed then Resumed (true, None) else Full (true, None)
        let life = [ None, handshake; None, PostHandshakeAuth peer; None, PostHandshakeAuth None ]
        let lived = liveAsking Context.Default (Some asked) life
        let wanted = min (int (if resumed then asked.ResumptionCount else asked.NewSessionCount)) Context.DefaultMaxTicketRequest
        let _, _, authenticated = lived[1]
        (lived |> List.forall (fun (_, _, decision) -> decision.Count = wanted))
        && (ticketsOf authenticated |> List.forall (fun ticket -> Option.ofLanguageExt ticket.Peer = peer))
        && authenticated.Next.SentTickets = wanted)

[<Property>]
let ``rule 6 with a request: extra tickets are exactly what the application asked for`` () =
    Prop.forAll setups (fun setup ->
        let context = setup.Context.WithStrictPskModes false
        let with' = liveAsking context setup.Asked setup.Life
        let without = liveAsking context None setup.Life
        List.zip with' without
        |> List.forall (fun ((event, _, asked), (_, _, silent)) ->
            match event with
            | Extra n -> asked.Count = n && silent.Count = n && asked.Reason = DecisionReason.ExtraTicketsRequested
            | Full _
            | Resumed _
            | PostHandshakeAuth _ -> true))

[<Property>]
let ``rule 7 with a request: strict mode without psk_key_exchange_modes still issues nothing`` () =
    Prop.forAll setups (fun setup ->
        let strict = setup.Context.WithStrictPskModes true
        liveAsking strict setup.Asked (withOfferedModes false setup.Life)
        |> List.forall (fun (_, _, decision) -> decision.Count = 0 && decision.Reason = DecisionReason.StrictPskModesNone))

[<Property>]
let ``rule 8 with a request: stateful and stateless modes issue the same`` () =
    Prop.forAll setups (fun setup ->
        let decisions mode =
            liveAsking (setup.Context.WithTicketMode mode) setup.Asked setup.Life |> List.map (fun (_, _, d) -> d)
        decisions TicketMode.Stateful = decisions TicketMode.Stateless)

[<Property>]
let ``rules 9 and 10 with a request: consecutive nonces from 0 and the clamped lifetime on every ticket`` () =
    Prop.forAll setups (fun setup ->
        let tickets = liveAsking setup.Context setup.Asked setup.Life |> List.collect (fun (_, _, d) -> ticketsOf d)
        (tickets |> List.map (fun ticket -> ticket.Nonce)) = List.init tickets.Length uint64
        && tickets |> List.forall (fun ticket -> ticket.LifetimeSeconds = setup.Context.TicketLifetimeSeconds))

[<Property>]
let ``the connection remembers the request of its handshake and the expected count is the decision's`` () =
    Prop.forAll setups (fun setup ->
        let _, handshake = setup.Life.Head
        let fresh = Connection.Create setup.Context
        let outcome = outcomeWith setup.Asked handshake
        match TicketPolicy.decide setup.Context fresh outcome, TicketPolicy.expectedTicketCount setup.Context fresh outcome with
        | Ok decision, Ok expected -> Connection.ticketRequest decision.Next = setup.Asked && expected = decision.Count
        | _ -> false)

[<Property(Arbitrary = [| typeof<Arbitraries> |])>]
let ``a negative maximum is refused and leaves the context as it was`` (NegativeInt max) (context: Context) =
    Context.withMaxTicketRequest max context = Result.Error TicketErrors.NegativeTicketRequestLimit
