/// Rules 2 to 10 over generated contexts, connections and well-ordered connection lives.
[<Xunit.Trait("Category", "Unit")>]
module Tickets.Properties.IssuanceProperties

open FsCheck
open FsCheck.FSharp
open FsCheck.Xunit
open Tickets.Core.Model
open Tickets.Core.Policy
open Tickets.Properties.Interop
open Tickets.Properties.Generators
open Tickets.Properties.Lives

let private lives = Arb.fromGen connectionLife
let private counts = Arb.fromGen count

/// A context like the generated one but lenient, for rules that are about counts rather than PSK modes.
let private lenient (context: Context) = context.WithStrictPskModes false

let private contextWithCount (context: Context) (count: int) =
    match outcomeOf (context.SetNumTickets count) with
    | Ok context -> context
    | Result.Error kind -> failwithf "count %d was refused with %A" count kind

[<Property(Arbitrary = [| typeof<Arbitraries> |])>]
let ``rule 2: a connection keeps the count it copied, and its own count stays its own`` (context: Context) =
    Prop.forAll (Arb.zip (counts, counts)) (fun (laterContextCount, connectionCount) ->
        let first = Connection.Create context
        let second = Connection.Create context
        let changedContext = contextWithCount context laterContextCount
        let changedFirst =
            match outcomeOf (first.SetNumTickets connectionCount) with
            | Ok connection -> connection
            | Result.Error kind -> failwithf "refused with %A" kind
        first.GetNumTickets() = context.GetNumTickets()
        && second.GetNumTickets() = context.GetNumTickets()
        && changedFirst.GetNumTickets() = connectionCount
        && (Connection.Create changedContext).GetNumTickets() = laterContextCount
        && second = Connection.Create context)

[<Property(Arbitrary = [| typeof<Arbitraries> |])>]
let ``rule 3: a full handshake issues exactly the count`` (context: Context) (peer: PeerIdentity option) =
    match decide context (Connection.Create context) (Full (true, peer, None)) with
    | Ok decision ->
        decision.Count = context.GetNumTickets()
        && decision.Reason = (if context.GetNumTickets() = 0 then DecisionReason.CountZero else DecisionReason.FullHandshakeCount)
        && decision.Next.HandshakeComplete
        && not decision.Next.Resumed
    | Result.Error _ -> false

[<Property(Arbitrary = [| typeof<Arbitraries> |])>]
let ``rule 3: a resumption issues min(1, count)`` (context: Context) (peer: PeerIdentity option) =
    match decide context (Connection.Create context) (Resumed (true, peer, None)) with
    | Ok decision ->
        decision.Count = min 1 (context.GetNumTickets())
        && decision.Next.Resumed
        && (ticketsOf decision |> List.forall (fun ticket -> toOption ticket.Peer = peer))
    | Result.Error _ -> false

[<Property(Arbitrary = [| typeof<Arbitraries> |])>]
let ``rule 3: with count 0 no handshake or authentication issues a ticket`` (context: Context) =
    let zero = contextWithCount (lenient context) 0
    Prop.forAll lives (fun life ->
        let unchangedCounts = life |> List.map (fun (_, event) -> None, event)
        live zero unchangedCounts
        |> List.forall (fun (event, decision) ->
            isExtra event || (decision.Count = 0 && decision.Reason = DecisionReason.CountZero)))

[<Property(Arbitrary = [| typeof<Arbitraries> |])>]
let ``rule 4: a resumed connection never issues more than one ticket per handshake or authentication`` (context: Context) =
    Prop.forAll lives (fun life ->
        let resumedLife =
            match life with
            | (count, Full (offered, peer, asked)) :: rest -> (count, Resumed (offered, peer, asked)) :: rest
            | _ -> life
        live context resumedLife
        |> List.forall (fun (event, decision) -> isExtra event || decision.Count <= 1))

[<Property(Arbitrary = [| typeof<Arbitraries> |])>]
let ``rule 5: each authentication restarts the sent count and issues the count read when it completes``
    (context: Context)
    (peer: PeerIdentity option)
    =
    let context = lenient context
    Prop.forAll (Arb.zip (counts, counts)) (fun (countAtAuthentication, countAtSecond) ->
        let afterHandshake =
            match decide context (Connection.Create context) (Full (true, None, None)) with
            | Ok decision -> decision.Next
            | Result.Error kind -> failwithf "refused with %A" kind
        let authenticate (connection: Connection) count =
            let connection =
                match outcomeOf (connection.SetNumTickets count) with
                | Ok connection -> connection
                | Result.Error kind -> failwithf "refused with %A" kind
            match decide context connection (PostHandshakeAuth peer) with
            | Ok decision -> decision
            | Result.Error kind -> failwithf "refused with %A" kind
        let first = authenticate afterHandshake countAtAuthentication
        let second = authenticate first.Next countAtSecond
        first.Count = countAtAuthentication
        && first.Next.SentTickets = countAtAuthentication
        && second.Count = countAtSecond
        && second.Next.SentTickets = countAtSecond
        && second.Next.PostHandshakeAuthentications = 2
        && (ticketsOf first @ ticketsOf second |> List.forall (fun ticket -> toOption ticket.Peer = peer)))

[<Property(Arbitrary = [| typeof<Arbitraries> |])>]
let ``rule 6: extra tickets come on top, ignoring the count and the resumption cap`` (context: Context) (resumed: bool) =
    let context = lenient context
    Prop.forAll (Arb.fromGen (Gen.choose (0, 40))) (fun extra ->
        let handshake = if resumed then Resumed (false, None, None) else Full (false, None, None)
        match decide context (Connection.Create context) handshake with
        | Result.Error _ -> false
        | Ok afterHandshake ->
            match decide context afterHandshake.Next (Extra extra) with
            | Result.Error _ -> false
            | Ok decision ->
                decision.Count = extra
                && decision.Reason = DecisionReason.ExtraTicketsRequested
                && decision.Next.ExtraTicketsIssued = extra
                && decision.Next.SentTickets = afterHandshake.Count + extra)

[<Property(Arbitrary = [| typeof<Arbitraries> |])>]
let ``rule 6: extra tickets are refused before the handshake, and negative ones always`` (context: Context) (NonNegativeInt extra) =
    let fresh = Connection.Create context
    decide context fresh (Extra extra) = Result.Error (Some TicketErrorKind.ExtraTicketsBeforeHandshake)
    && decide context fresh (Extra (-1 - extra)) = Result.Error (Some TicketErrorKind.NegativeExtraTicketCount)

[<Property(Arbitrary = [| typeof<Arbitraries> |])>]
let ``rule 7: without strict mode, psk_key_exchange_modes changes nothing about the tickets`` (context: Context) =
    let context = lenient context
    Prop.forAll lives (fun life ->
        let ticketsWhen offered =
            live context (withOfferedModes offered life) |> List.map (fun (_, decision) -> ticketsOf decision)
        ticketsWhen true = ticketsWhen false)

[<Property(Arbitrary = [| typeof<Arbitraries> |])>]
let ``rule 7: strict mode issues nothing without psk_key_exchange_modes and the usual tickets with them`` (context: Context) =
    let strict = context.WithStrictPskModes true
    Prop.forAll lives (fun life ->
        let without = live strict (withOfferedModes false life)
        let strictWith = live strict (withOfferedModes true life) |> List.map snd
        let lenientWith = live (lenient context) (withOfferedModes true life) |> List.map snd
        (without |> List.forall (fun (_, decision) -> decision.Count = 0 && decision.Reason = DecisionReason.StrictPskModesNone))
        && strictWith = lenientWith)

[<Property(Arbitrary = [| typeof<Arbitraries> |])>]
let ``rule 8: stateful mode issues exactly what stateless mode issues`` (context: Context) =
    Prop.forAll lives (fun life ->
        live (context.WithTicketMode TicketMode.Stateful) life = live (context.WithTicketMode TicketMode.Stateless) life)

[<Property(Arbitrary = [| typeof<Arbitraries> |])>]
let ``rule 9: nonces count from 0, one per ticket, never reset`` (context: Context) =
    Prop.forAll lives (fun life ->
        let decisions = live context life
        let nonces = decisions |> List.collect (fun (_, decision) -> ticketsOf decision |> List.map (fun ticket -> ticket.Nonce))
        let issued = uint64 (List.length nonces)
        let finalNonce = decisions |> List.last |> (fun (_, decision) -> decision.Next.NextNonce)
        nonces = List.init nonces.Length uint64 && finalNonce = issued)

[<Property(Arbitrary = [| typeof<Arbitraries> |])>]
let ``rule 10: every ticket lives for the session timeout clamped to seven days`` (context: Context) =
    Prop.forAll lives (fun life ->
        let expected = min context.SessionTimeoutSeconds 604_800u
        context.TicketLifetimeSeconds = expected
        && live context life
           |> List.forall (fun (_, decision) ->
               ticketsOf decision |> List.forall (fun ticket -> ticket.LifetimeSeconds = expected && ticket.LifetimeSeconds <= 604_800u)))

[<Property(Arbitrary = [| typeof<Arbitraries> |])>]
let ``order: a second handshake or an authentication before the handshake is a typed error`` (context: Context) (event: Event) =
    let fresh = Connection.Create context
    let afterHandshake =
        match decide context fresh (Full (true, None, None)) with
        | Ok decision -> decision.Next
        | Result.Error kind -> failwithf "refused with %A" kind
    let expectedAfterHandshake =
        match event with
        | Full _
        | Resumed _ -> Some (Result.Error (Some TicketErrorKind.HandshakeAlreadyComplete))
        | PostHandshakeAuth _
        | Extra _ -> None
    let expectedBefore =
        match event with
        | PostHandshakeAuth _ -> Some (Result.Error (Some TicketErrorKind.PostHandshakeAuthBeforeHandshake))
        | Full _
        | Resumed _
        | Extra _ -> None
    let matches expected actual =
        match expected with
        | Some expected -> actual = expected
        | None -> true
    matches expectedAfterHandshake (decide context afterHandshake event |> Result.map ignore)
    && matches expectedBefore (decide context fresh event |> Result.map ignore)

[<Property(Arbitrary = [| typeof<Arbitraries> |])>]
let ``purity: the same inputs always give equal decisions`` (context: Context) (event: Event) =
    Prop.forAll lives (fun life ->
        let connection =
            match live context life |> List.tryLast with
            | Some (_, decision) -> decision.Next
            | None -> Connection.Create context
        let rebuilt =
            (contextWithCount Context.Default (context.GetNumTickets()))
                .WithSessionTimeout(context.SessionTimeoutSeconds)
                .WithTicketMode(context.TicketMode)
                .WithStrictPskModes(context.StrictPskModes)
        rebuilt = context
        && decide context connection event = decide context connection event
        && decide rebuilt connection event = decide context connection event)
