/// The core's choice among offered tickets (ResumptionPolicy.Decide): one property per verdict, each breaking exactly
/// one rule of a session the server would otherwise resume, and the properties that make resumption safe whatever
/// the client sends.
[<Xunit.Trait("Category", "Unit")>]
module Tickets.Properties.ResumptionDecisionProperties

open FsCheck
open FsCheck.FSharp
open FsCheck.Xunit
open Tickets.Core.Model
open Tickets.Core.Policy
open Tickets.Core.Protocol
open Tickets.FSharp
open Tickets.Properties.ResumptionGenerators

/// Settings, a hello, and one honest session for them with the age its client reports.
let private honestCase =
    gen {
        let! settings = settings
        let! hello = hello
        let! session, age = honest settings hello
        return settings, hello, session, age
    }

/// The verdict on a single offered identity.
let private verdictOf settings hello (ticket: OfferedTicket) =
    match decide settings (attempt hello [ ticket ]) with
    | _, [ verdict ] -> verdict
    | _, verdicts -> failwithf "expected one verdict, got %A" verdicts

let private single settings hello (session: ResumableSession) age =
    verdictOf settings hello (OfferedTicket(age, Option.toLanguageExt (Some session)))

[<Property>]
let ``decide: an honest session is resumed`` () =
    Prop.forAll (Arb.fromGen honestCase) (fun (settings, hello, session, age) ->
        decide settings (attempt hello [ OfferedTicket(age, Option.toLanguageExt (Some session)) ]) = (Some 0, [ ResumptionVerdict.Accepted ]))

[<Property>]
let ``decide: one verdict per offered identity, and the first accepted one is chosen`` () =
    Prop.forAll (Arb.fromGen anyCase) (fun (settings, hello, tickets) ->
        let chosen, verdicts = decide settings (attempt hello tickets)
        let firstAccepted = verdicts |> List.tryFindIndex ((=) ResumptionVerdict.Accepted)
        List.length verdicts = List.length tickets && chosen = firstAccepted)

[<Property>]
let ``decide: the same inputs give the same decision`` () =
    Prop.forAll (Arb.fromGen anyCase) (fun (settings, hello, tickets) ->
        ResumptionPolicy.Decide(settings, attempt hello tickets) = ResumptionPolicy.Decide(settings, attempt hello tickets))

[<Property>]
let ``identity cap: identities past the fourth are never looked at, even honest ones`` () =
    let cases =
        gen {
            let! settings, hello, session, age = honestCase
            let! before = Gen.choose (ResumptionPolicy.MaxIdentities, 10)
            return settings, hello, session, age, before
        }
    Prop.forAll (Arb.fromGen cases) (fun (settings, hello, session, age, position) ->
        let unopened = List.replicate position (OfferedTicket(0u, Option.toLanguageExt None))
        let chosen, verdicts = decide settings (attempt hello (unopened @ [ OfferedTicket(age, Option.toLanguageExt (Some session)) ]))
        chosen = None
        && verdicts.[position] = ResumptionVerdict.BeyondIdentityCap
        && (verdicts |> List.take ResumptionPolicy.MaxIdentities |> List.forall ((=) ResumptionVerdict.NotOpened)))

[<Property>]
let ``identity cap: no decision chooses an identity past the cap`` () =
    Prop.forAll (Arb.fromGen anyCase) (fun (settings, hello, tickets) ->
        match decide settings (attempt hello tickets) with
        | Some index, _ -> index < ResumptionPolicy.MaxIdentities
        | None, _ -> true)

[<Property>]
let ``not opened: a ticket that did not open is refused`` () =
    Prop.forAll (Arb.fromGen (Gen.zip settings hello)) (fun (settings, hello) ->
        verdictOf settings hello (OfferedTicket(0u, Option.toLanguageExt None)) = ResumptionVerdict.NotOpened)

[<Property>]
let ``already used: a spent ticket is refused, and the decision moves on to the next usable one`` () =
    Prop.forAll (Arb.fromGen honestCase) (fun (settings, hello, session, age) ->
        let ticket = OfferedTicket(age, Option.toLanguageExt (Some session))
        let twice = attempt hello [ ticket; ticket ]
        decide settings (twice.Spend 0) = (Some 1, [ ResumptionVerdict.AlreadyUsed; ResumptionVerdict.Accepted ])
        && decide settings ((twice.Spend 0).Spend 1) = (None, [ ResumptionVerdict.AlreadyUsed; ResumptionVerdict.AlreadyUsed ]))

[<Property>]
let ``version: a session of another TLS version is refused`` () =
    Prop.forAll (Arb.fromGen honestCase) (fun (settings, hello, session, age) ->
        single settings hello (session |> change (fun f -> { f with Version = ProtocolVersion.Tls12 })) age
            = ResumptionVerdict.ProtocolVersionMismatch)

[<Property>]
let ``hash: a session whose suite has another hash is refused, one with the same hash is not`` () =
    Prop.forAll (Arb.fromGen (Gen.zip honestCase suite)) (fun ((settings, hello, session, age), other) ->
        let verdict = single settings hello (session |> change (fun f -> { f with Suite = other })) age
        if HandshakeHashes.Of(other) = HandshakeHashes.Of(hello.Suite) then
            verdict = ResumptionVerdict.Accepted
        else
            verdict = ResumptionVerdict.HashMismatch)

[<Property>]
let ``lifetime: a session older than its lifetime, or than seven days, is expired`` () =
    let cases =
        gen {
            let! settings, hello, session, _ = honestCase
            let! lifetime = Gen.choose (0, 2_000_000) |> Gen.map uint32
            let! beyond = Gen.choose64 (1L, 10_000_000L)
            return settings, hello, session, lifetime, beyond
        }
    Prop.forAll (Arb.fromGen cases) (fun (settings, hello, session, lifetime, beyond) ->
        let age = int64 (min lifetime Context.MaxTicketLifetimeSeconds) * 1000L + beyond
        let old = session |> change (fun f -> { f with IssuedAt = hello.Now - age; Lifetime = lifetime })
        // The client agrees about the age: only the lifetime can refuse it.
        single settings hello old (uint32 age + old.AgeAdd) = ResumptionVerdict.Expired)

[<Property>]
let ``age: a client age more than 10 s off the server's, or an issue time after now, is refused`` () =
    let cases =
        gen {
            let! settings, hello, session, age = honestCase
            let! gap = Gen.choose (10_001, 1_000_000)
            let! future = Gen.choose64 (1L, 1_000_000L)
            return settings, hello, session, age, gap, future
        }
    Prop.forAll (Arb.fromGen cases) (fun (settings, hello, session, age, gap, future) ->
        let serverAge = hello.Now - session.IssuedAtMilliseconds
        let fromTheFuture = session |> change (fun f -> { f with IssuedAt = hello.Now + future })
        single settings hello session (uint32 (serverAge + int64 gap) + session.AgeAdd) = ResumptionVerdict.AgeInconsistent
        && single settings hello fromTheFuture age = ResumptionVerdict.IssuedInFuture)

[<Property>]
let ``authentication context: a ticket issued under other client-certificate settings is refused`` () =
    Prop.forAll (Arb.fromGen (Gen.zip honestCase authenticationContext)) (fun ((settings, hello, session, age), other) ->
        let verdict = single settings hello (session |> change (fun f -> { f with Context = other })) age
        if other = settings.AuthenticationContext then
            verdict = ResumptionVerdict.Accepted
        else
            verdict = ResumptionVerdict.AuthenticationContextMismatch)

[<Property>]
let ``client authentication: where a verified client is required, a session without one is refused`` () =
    let cases =
        gen {
            let! settings, hello, session, age = honestCase
            let! digest = Gen.elements digests
            let! peer = Gen.optionOf unverifiedPeer
            let strict = ResumptionSettings(AuthenticationContext(ClientCertificateRequirement.Require, digest),
                                            AllowServerNameChange = settings.AllowServerNameChange)
            return strict, hello, session |> change (fun f -> { f with Context = strict.AuthenticationContext; Peer = peer }), age
        }
    Prop.forAll (Arb.fromGen cases) (fun (strict, hello, session, age) ->
        single strict hello session age = ResumptionVerdict.ClientNotVerified)

/// The authentication property: whatever is offered, a server requiring a verified client resumes only a session with a
/// verified identity, issued under the same trust anchors (and the same requirement).
[<Property>]
let ``client authentication: under a policy that requires a verified client, no decision resumes a session without a verified identity issued under the same trust anchors`` () =
    let cases =
        gen {
            let! _, hello, tickets = anyCase
            let! digest = Gen.elements digests
            let! allowChange = Gen.elements [ true; false ]
            let strict = ResumptionSettings(AuthenticationContext(ClientCertificateRequirement.Require, digest),
                                            AllowServerNameChange = allowChange)
            // Fresh sessions that agree in everything else, with arbitrary authentication facts: the hard cases. Arbitrary
            // tickets alone would almost all fail on age before authentication is even looked at.
            let fresh =
                gen {
                    let! session, age = honest strict hello
                    let! context = Gen.frequency [ 1, Gen.constant strict.AuthenticationContext; 2, authenticationContext ]
                    let! peer = Gen.optionOf (Gen.oneof [ verifiedPeer; unverifiedPeer ])
                    return OfferedTicket(age, Option.toLanguageExt (Some (session |> change (fun f -> { f with Context = context; Peer = peer }))))
                }
            let! freshOnes = Gen.listOfLength 3 fresh
            let! mixed = Gen.shuffle (tickets @ freshOnes)
            return strict, hello, List.ofArray mixed
        }
    Prop.forAll (Arb.fromGen cases) (fun (strict, hello, tickets) ->
        match decide strict (attempt hello tickets) with
        | Some index, _ ->
            let session = (Option.ofLanguageExt tickets.[index].Session).Value
            session.AuthenticationContext = strict.AuthenticationContext
            && (Option.ofLanguageExt session.Peer |> Option.exists (fun peer -> peer.Verified))
        | None, _ -> true)

[<Property>]
let ``server name: a session resumes only under its own name, ignoring ASCII case, unless the settings allow a change`` () =
    Prop.forAll (Arb.fromGen (Gen.zip honestCase serverName)) (fun ((settings, hello, session, age), now) ->
        let moved = { hello with ServerName = now }
        let verdict = single settings moved session age
        let same =
            match hello.ServerName, now with
            | Some issued, Some current -> issued.ToLowerInvariant() = current.ToLowerInvariant()
            | None, None -> true
            | _ -> false
        if same || settings.AllowServerNameChange then
            verdict = ResumptionVerdict.Accepted
        else
            verdict = ResumptionVerdict.ServerNameMismatch)

[<Property>]
let ``server name: a ticket issued without a name resumes only without one`` (name: NonEmptyString) =
    Prop.forAll (Arb.fromGen honestCase) (fun (settings, hello, session, age) ->
        let strict = ResumptionSettings(settings.AuthenticationContext)
        let noName = session |> change (fun f -> { f with ServerName = None })
        single strict { hello with ServerName = None } noName age = ResumptionVerdict.Accepted
        && single strict { hello with ServerName = Some name.Get } noName age = ResumptionVerdict.ServerNameMismatch)

[<Property>]
let ``application protocol: a session resumes only with the ALPN protocol chosen now`` () =
    Prop.forAll (Arb.fromGen (Gen.zip honestCase applicationProtocol)) (fun ((settings, hello, session, age), now) ->
        let verdict = single settings { hello with Protocol = now } session age
        if now = hello.Protocol then
            verdict = ResumptionVerdict.Accepted
        else
            verdict = ResumptionVerdict.ApplicationProtocolMismatch)
