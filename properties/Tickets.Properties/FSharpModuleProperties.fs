/// Tickets.FSharp agrees with the C# API it wraps: conversions that lose nothing, functions that return what the C#
/// methods return, and active patterns that classify every outcome, reason and verdict the way the C# values say.
[<Xunit.Trait("Category", "Unit")>]
module Tickets.Properties.FSharpModuleProperties

open FsCheck
open FsCheck.FSharp
open FsCheck.Xunit
open Tickets.Core.Model
open Tickets.Core.Policy
open Tickets.Core.Protocol
open Tickets.Properties.Generators
open Tickets.Properties.Lives
// Opened after the generators, so that PostHandshakeAuth in a pattern is the package's active pattern, not the
// generators' Event case (written Event.PostHandshakeAuth here).
open Tickets.FSharp

/// The C# reading of a Fin, written with Match directly, to compare the module against.
let private viaMatch (fin: LanguageExt.Fin<'a>) : Choice<'a, LanguageExt.Common.Error> =
    fin.Match((fun value -> Choice1Of2 value), (fun error -> Choice2Of2 error))

let private finOf (value: Result<int, string>) : LanguageExt.Fin<int> =
    match value with
    | Ok number -> LanguageExt.Fin<int>.Succ number
    | Error message -> LanguageExt.Fin<int>.Fail(LanguageExt.Common.Error.New message)

[<Property>]
let ``Fin: toResult keeps the value or the error, and ofResult undoes it`` (number: int) (NonEmptyString message) (failed: bool) =
    let value = if failed then Error message else Ok number
    let fin = finOf value
    let result = Fin.toResult fin
    let agrees =
        match result, viaMatch fin with
        | Ok a, Choice1Of2 b -> a = b
        | Error a, Choice2Of2 b -> obj.ReferenceEquals(a, b)
        | _ -> false
    agrees
    && Fin.ofResult result = fin
    && Fin.toResult (Fin.ofResult result) = result
    && Fin.toOption fin = (match value with Ok number -> Some number | Error _ -> None)

[<Property>]
let ``Option: ofLanguageExt and toLanguageExt are inverse, and agree with IsSome`` (value: int option) (text: NonEmptyString option) =
    let converted = Option.toLanguageExt value
    converted.IsSome = value.IsSome
    && Option.ofLanguageExt converted = value
    && Option.toLanguageExt (Option.ofLanguageExt converted) = converted
    && Option.ofLanguageExt (Option.toLanguageExt (text |> Option.map (fun t -> t.Get))) = (text |> Option.map (fun t -> t.Get))

[<Property(Arbitrary = [| typeof<Arbitraries> |])>]
let ``Context and Connection: every function returns what the C# method returns`` (context: Context) (count: int) (maximum: int) =
    let connection = Connection.ofContext context
    let asTicketError fin =
        match viaMatch fin with
        | Choice1Of2 value -> Ok value
        | Choice2Of2 (:? TicketError as refusal) -> Error refusal
        | Choice2Of2 other -> failwithf "not a ticket error: %O" other
    Context.withNumTickets count context = asTicketError (context.SetNumTickets count)
    && Context.withMaxTicketRequest maximum context = asTicketError (context.SetMaxTicketRequest maximum)
    && Connection.withNumTickets count connection = asTicketError (connection.SetNumTickets count)
    && connection = Connection.Create context
    && Connection.numTickets connection = connection.GetNumTickets()
    && Context.numTickets context = context.GetNumTickets()
    && Context.ticketLifetimeSeconds context = context.TicketLifetimeSeconds
    && (context |> Context.withSessionTimeout 42u |> Context.withStrictPskModes true |> Context.withTicketMode TicketMode.Stateful)
        = context.WithSessionTimeout(42u).WithStrictPskModes(true).WithTicketMode(TicketMode.Stateful)
    && Context.create () = Context.Default

[<Property(Arbitrary = [| typeof<Arbitraries> |])>]
let ``TicketPolicy.decide agrees with TicketPolicy.Decide on any connection and any event`` (context: Context) (event: Event) =
    Prop.forAll (Arb.fromGen connectionLife) (fun life ->
        let connection =
            match live context life |> List.tryLast with
            | Some (_, decision) -> decision.Next
            | None -> Connection.ofContext context
        let outcome = toOutcome event
        let expected =
            match viaMatch (TicketPolicy.Decide(context, connection, outcome)) with
            | Choice1Of2 decision -> Ok decision
            | Choice2Of2 error -> Error (error :?> TicketError)
        let decided = TicketPolicy.decide context connection outcome
        decided = expected
        && TicketPolicy.expectedTicketCount context connection outcome = (expected |> Result.map TicketDecision.count)
        && (match decided with
            | Ok decision ->
                TicketDecision.tickets decision = List.ofSeq decision.Tickets
                && TicketDecision.peer decision = Option.ofLanguageExt decision.Peer
            | Error _ -> true))

[<Property(Arbitrary = [| typeof<Arbitraries> |])>]
let ``TicketPolicy.decideAll threads each decision's next state, as the shell does`` (context: Context) =
    Prop.forAll (Arb.fromGen connectionLife) (fun life ->
        // Lives.live sets counts between events; decideAll does not, so only lives without count changes compare.
        let plain = life |> List.map (fun (_, event) -> None, event)
        let expected = live context plain |> List.map snd
        TicketPolicy.decideAll context (Connection.ofContext context) (plain |> List.map (snd >> toOutcome)) = Ok expected)

[<Property(Arbitrary = [| typeof<Arbitraries> |])>]
let ``HandshakeOutcome: the builders and the active pattern agree with the core's Match`` (event: Event) =
    // toOutcome builds through the package (HandshakeOutcome.full … |> HandshakeOutcome.withTicketRequest asked).
    let outcome = toOutcome event
    let kind = outcome.Match((fun _ -> "full"), (fun _ -> "resumption"), (fun _ -> "authentication"), (fun _ -> "extra"))
    let classified =
        match outcome with
        | FullHandshake (offered, peer) -> "full", (match event with Full (o, p, _) -> o = offered && p = peer | _ -> false)
        | Resumption (offered, peer) -> "resumption", (match event with Resumed (o, p, _) -> o = offered && p = peer | _ -> false)
        | PostHandshakeAuth peer -> "authentication", (match event with Event.PostHandshakeAuth p -> p = peer | _ -> false)
        | ExtraTickets count -> "extra", (match event with Extra n -> n = count | _ -> false)
    let expectedRequest =
        match event with
        | Full (_, _, asked)
        | Resumed (_, _, asked) -> asked
        | Event.PostHandshakeAuth _
        | Extra _ -> None
    let requestInCore =
        match outcome with
        | :? HandshakeOutcome.FullHandshake as full -> Option.ofLanguageExt full.TicketRequest
        | :? HandshakeOutcome.Resumption as resumed -> Option.ofLanguageExt resumed.TicketRequest
        | _ -> None
    fst classified = kind
    && snd classified
    && HandshakeOutcome.ticketRequest outcome = expectedRequest
    && requestInCore = expectedRequest

/// What the reason pattern claims about a decision, checked against the event that produced it.
let private reasonAgrees (event: Event, decision: TicketDecision) =
    match decision.Reason with
    | IssuedCount afterAuthentication ->
        decision.Count > 0
        && not decision.Next.Resumed
        && afterAuthentication = (match event with Event.PostHandshakeAuth _ -> true | _ -> false)
    | IssuedAtMostOne afterAuthentication ->
        decision.Count = 1
        && decision.Next.Resumed
        && afterAuthentication = (match event with Event.PostHandshakeAuth _ -> true | _ -> false)
    | IssuedAsRequested -> not (isExtra event)
    | IssuedExtra -> isExtra event
    | WithheldCountZero -> decision.Count = 0 && not (isExtra event)
    | WithheldStrictPskModes -> decision.Count = 0 && not decision.Next.ClientOfferedPskModes

[<Property(Arbitrary = [| typeof<Arbitraries> |])>]
let ``decision reasons: the pattern classifies every decision the way its event and counts say`` (context: Context) =
    Prop.forAll (Arb.fromGen connectionLife) (fun life -> live context life |> List.forall reasonAgrees)

[<Property>]
let ``decision reasons: every named reason has a case, an unnamed value is refused`` (unnamed: int) =
    let named = System.Enum.GetValues<DecisionReason>()
    let classify reason =
        match reason with
        | IssuedCount _ | IssuedAtMostOne _ | IssuedAsRequested | IssuedExtra | WithheldCountZero | WithheldStrictPskModes -> ()
    named |> Array.iter classify
    let outside = enum<DecisionReason> (abs (unnamed % 1000) + 100)
    try
        classify outside
        false
    with :? System.ArgumentOutOfRangeException ->
        true

/// The verdicts of each group, as docs/fsharp.md lists them.
let private groupOf (verdict: ResumptionVerdict) =
    match verdict with
    | Accepted -> "accepted", verdict
    | Stale exact -> "stale", exact
    | Unusable exact -> "unusable", exact
    | MadeForOtherParameters exact -> "other parameters", exact
    | RefusedByPolicy exact -> "policy", exact

[<Property>]
let ``resumption verdicts: the pattern keeps the exact verdict and accepts only Accepted`` () =
    Prop.forAll (Arb.fromGen ResumptionGenerators.anyCase) (fun (settings, hello, tickets) ->
        let decision = ResumptionPolicy.decide settings (ResumptionGenerators.attempt hello tickets)
        let verdicts = ResumptionDecision.verdicts decision
        ResumptionDecision.chosen decision = Option.ofLanguageExt decision.Chosen
        && verdicts = (decision.Verdicts |> Seq.map (fun check -> check.Verdict) |> List.ofSeq)
        && verdicts |> List.forall (fun verdict ->
            let group, exact = groupOf verdict
            exact = verdict && ((group = "accepted") = (verdict = ResumptionVerdict.Accepted))))

[<Property>]
let ``resumption verdicts: every named verdict falls in its documented group`` () =
    let documented =
        [ ResumptionVerdict.Accepted, "accepted"
          ResumptionVerdict.Expired, "stale"
          ResumptionVerdict.AgeInconsistent, "stale"
          ResumptionVerdict.IssuedInFuture, "stale"
          ResumptionVerdict.NotOpened, "unusable"
          ResumptionVerdict.BeyondIdentityCap, "unusable"
          ResumptionVerdict.AlreadyUsed, "unusable"
          ResumptionVerdict.ProtocolVersionMismatch, "other parameters"
          ResumptionVerdict.HashMismatch, "other parameters"
          ResumptionVerdict.ServerNameMismatch, "other parameters"
          ResumptionVerdict.ApplicationProtocolMismatch, "other parameters"
          ResumptionVerdict.AuthenticationContextMismatch, "policy"
          ResumptionVerdict.ClientNotVerified, "policy"
          ResumptionVerdict.KeyExchangeModeRefused, "policy" ]
    // The table names every verdict the core has, so a new verdict fails here until it is placed in a group.
    (documented |> List.map fst |> List.sort) = (System.Enum.GetValues<ResumptionVerdict>() |> List.ofArray |> List.sort)
    && documented |> List.forall (fun (verdict, group) -> fst (groupOf verdict) = group)

[<Property>]
let ``errors: TicketError.ofFin passes ticket refusals on and raises anything else`` (NonEmptyString message) =
    let refused = TicketError.ofFin (LanguageExt.Fin<int>.Fail TicketErrors.CountersExhausted)
    let raised =
        try
            TicketError.ofFin (LanguageExt.Fin<int>.Fail(LanguageExt.Common.Error.New message)) |> ignore
            false
        with _ ->
            true
    refused = Error TicketErrors.CountersExhausted
    && TicketError.kind TicketErrors.CountersExhausted = TicketErrorKind.CountersExhausted
    && raised

[<Property>]
let ``errors: the failure pattern names a codec's alert and a policy's refusal as their types say`` (bytes: byte[]) =
    let codec =
        match Fin.toResult (ClientHelloCodec.Parse bytes) with
        | Ok _ -> true
        | Error (AlertFailure alert) ->
            (match Fin.toResult (ClientHelloCodec.Parse bytes) with
             | Error (:? AlertError as typed) -> typed.Alert = alert
             | _ -> false)
        | Error (TicketFailure _)
        | Error (OtherFailure _) -> false
    let policy =
        match Fin.toResult (Context.Default.SetNumTickets(-1)) with
        | Error (TicketFailure refusal) -> refusal = TicketErrors.NegativeCount
        | _ -> false
    codec && policy

/// F# has no counterpart of C#'s CS1591, so this is the check that every public function, module and type of the
/// package carries an XML doc comment: each must have an entry in Tickets.FSharp.xml.
[<Xunit.Fact>]
let ``documentation: every public module function and type of Tickets.FSharp has an XML doc entry`` () =
    let assembly = typeof<ServerError>.Assembly
    let xml =
        match System.IO.Path.ChangeExtension(assembly.Location, ".xml") with
        | null -> failwith "no path for the documentation file"
        | path -> path
    let documented =
        System.Xml.Linq.XDocument.Load(xml).Descendants(System.Xml.Linq.XName.Get "member")
        |> Seq.map (fun entry ->
            match entry.Attribute(System.Xml.Linq.XName.Get "name") with
            | null -> ""
            | name -> name.Value)
        |> Set.ofSeq
    let isModule (t: System.Type) =
        t.GetCustomAttributes(typeof<CompilationMappingAttribute>, false)
        |> Seq.exists (fun a -> (a :?> CompilationMappingAttribute).SourceConstructFlags = SourceConstructFlags.Module)
    let typeName (t: System.Type) = (t.FullName |> string).Replace('+', '.')
    let missing =
        [ for t in assembly.GetExportedTypes() do
              // Nested types are what the compiler makes of union cases; the unions and records themselves are checked.
              if not t.IsNested then
                  if not (documented.Contains("T:" + typeName t)) then
                      yield "T:" + typeName t
              if isModule t then
                  for m in t.GetMethods(System.Reflection.BindingFlags.Public ||| System.Reflection.BindingFlags.Static ||| System.Reflection.BindingFlags.DeclaredOnly) do
                    // A Debug build makes some closures public (e.g. "<Bind>__debug@111"): the compiler's, not ours.
                    if not (m.Name.Contains '<' || m.Name.Contains '@') then
                      let prefix = $"M:{typeName t}.{m.Name}"
                      if not (documented |> Set.exists (fun name -> name = prefix || name.StartsWith(prefix + "(") || name.StartsWith(prefix + "``"))) then
                          yield prefix ]
    Xunit.Assert.True(List.isEmpty missing, sprintf "undocumented: %A" missing)
    // The check can see: the package has dozens of documented functions.
    Xunit.Assert.True(documented.Count > 80, sprintf "only %d entries in %s" documented.Count xml)
