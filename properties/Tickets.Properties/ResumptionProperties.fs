/// The freshness check a server applies to a presented ticket.
[<Xunit.Trait("Category", "Unit")>]
module Tickets.Properties.ResumptionProperties

open FsCheck
open FsCheck.FSharp
open FsCheck.Xunit
open Tickets.Core.Policy

let private issuedAt = Gen.choose64 (0L, 4_000_000_000_000L)
let private lifetime = Gen.choose (0, 604_800) |> Gen.map uint32
let private ageAdd = Gen.choose64 (0L, int64 System.UInt32.MaxValue) |> Gen.map uint32

/// What an honest client sends: its own view of the age, obfuscated by adding ticket_age_add modulo 2^32.
let private obfuscate (clientAgeMilliseconds: int64) (add: uint32) = uint32 clientAgeMilliseconds + add

[<Property>]
let ``resumption: a ticket within its lifetime whose client age is within 10 s is accepted`` () =
    let cases =
        gen {
            let! issued = issuedAt
            let! lifetime = lifetime
            let! add = ageAdd
            let! serverAge = Gen.choose64 (0L, int64 lifetime * 1000L)
            let! skew = Gen.choose (-10_000, 10_000)
            let clientAge = max 0L (serverAge + int64 skew)
            return issued, lifetime, add, serverAge, clientAge
        }
    Prop.forAll (Arb.fromGen cases) (fun (issued, lifetime, add, serverAge, clientAge) ->
        let check = ResumptionPolicy.Check(issued, lifetime, add, obfuscate clientAge add, issued + serverAge)
        check.Verdict = ResumptionVerdict.Accepted
        && check.Accepted
        && check.ServerAgeMilliseconds = serverAge
        && int64 check.ClientAgeMilliseconds = clientAge)

[<Property>]
let ``resumption: a ticket older than its lifetime is expired whatever the client says`` () =
    let cases =
        gen {
            let! issued = issuedAt
            let! lifetime = lifetime
            let! add = ageAdd
            let! beyond = Gen.choose64 (1L, 10_000_000L)
            let! obfuscated = ageAdd
            return issued, lifetime, add, int64 lifetime * 1000L + beyond, obfuscated
        }
    Prop.forAll (Arb.fromGen cases) (fun (issued, lifetime, add, serverAge, obfuscated) ->
        ResumptionPolicy.Check(issued, lifetime, add, obfuscated, issued + serverAge).Verdict = ResumptionVerdict.Expired)

[<Property>]
let ``resumption: a client age more than 10 s off is refused as inconsistent`` () =
    let cases =
        gen {
            let! issued = issuedAt
            let! lifetime = Gen.choose (60, 604_800) |> Gen.map uint32
            let! add = ageAdd
            let! serverAge = Gen.choose64 (0L, int64 lifetime * 1000L)
            let! gap = Gen.choose64 (10_001L, 1_000_000L)
            let! later = Gen.elements [ true; false ]
            let clientAge = if later || serverAge - gap < 0L then serverAge + gap else serverAge - gap
            return issued, lifetime, add, serverAge, clientAge
        }
    Prop.forAll (Arb.fromGen cases) (fun (issued, lifetime, add, serverAge, clientAge) ->
        ResumptionPolicy.Check(issued, lifetime, add, obfuscate clientAge add, issued + serverAge).Verdict =
            ResumptionVerdict.AgeInconsistent)

[<Property>]
let ``resumption: a ticket issued after now is refused`` (lifetime: uint32) (add: uint32) (obfuscated: uint32) =
    Prop.forAll (Arb.fromGen (Gen.zip issuedAt (Gen.choose64 (1L, 1_000_000L)))) (fun (now, ahead) ->
        ResumptionPolicy.Check(now + ahead, lifetime, add, obfuscated, now).Verdict = ResumptionVerdict.IssuedInFuture)
