/// External PSKs in the core's choice among offered identities (ResumptionPolicy.Decide), and the PSK key exchange
/// mode: which verdicts apply to an external PSK (the identity cap, the mode, the hash) and which do not (age,
/// lifetime, authentication context, server name, ALPN), and how psk_ke and psk_dhe_ke are chosen.
[<Xunit.Trait("Category", "Unit")>]
module Tickets.Properties.ExternalPskDecisionProperties

open FsCheck
open FsCheck.FSharp
open FsCheck.Xunit
open Tickets.Core
open Tickets.Core.Model
open Tickets.Core.Policy
open Tickets.Core.Protocol
open Tickets.Properties.Interop
open Tickets.Properties.ResumptionGenerators

let private hashOf suite = toOption (HandshakeHashes.Of suite)

let private handshakeHash: Gen<HandshakeHash> = Gen.elements [ HandshakeHash.Sha256; HandshakeHash.Sha384 ]

/// An external PSK bound to the hash of the hello's suite: the one a client holding the right key would offer.
let private matching (hello: Hello) = OfferedExternalPsk((hashOf hello.Suite).Value) :> OfferedIdentity

let private mode: Gen<PskKeyExchangeMode> = Gen.elements [ PskKeyExchangeMode.psk_ke; PskKeyExchangeMode.psk_dhe_ke ]

/// Any list of modes a client may send, duplicates and order included (RFC 8446 §4.2.9 does not forbid them).
let private modes: Gen<PskKeyExchangeMode list> = Gen.listOf mode

let private withModes (offered: PskKeyExchangeMode list) keyExchange (attempt: ResumptionAttempt) =
    ResumptionAttempt(
        attempt.CipherSuite,
        attempt.ServerName,
        attempt.ApplicationProtocol,
        attempt.NowMilliseconds,
        attempt.Offered,
        OfferedModes = LanguageExt.Prelude.toSeq (Array.ofList offered),
        ClientOffersKeyExchange = keyExchange)

let private allowingPskKe (settings: ResumptionSettings) allow =
    ResumptionSettings(
        settings.AuthenticationContext,
        AllowServerNameChange = settings.AllowServerNameChange,
        AgeToleranceMilliseconds = settings.AgeToleranceMilliseconds,
        AllowPskWithoutKeyExchange = allow)

/// A mix of tickets (honest or not) and external PSKs (of either hash), shuffled.
let private mixedCase =
    gen {
        let! settings, hello, tickets = anyCase
        let! externals = Gen.listOf (handshakeHash |> Gen.map (fun hash -> OfferedExternalPsk(hash) :> OfferedIdentity))
        let! mixed = Gen.shuffle ((tickets |> List.map (fun ticket -> ticket :> OfferedIdentity)) @ externals)
        return settings, hello, List.ofArray mixed
    }

[<Property>]
let ``external PSK: one bound to the suite's hash is accepted whatever the name, protocol, clock and client settings`` () =
    // Nothing about the session rules applies: no age, lifetime, authentication context, server name or ALPN.
    let cases =
        gen {
            let! settings = settings
            let! hello = hello
            let! strict = Gen.elements [ true; false ]
            let settings =
                if strict then
                    ResumptionSettings(AuthenticationContext(ClientCertificateRequirement.Require, settings.AuthenticationContext.TrustAnchorsDigest))
                else
                    settings
            return settings, hello
        }
    Prop.forAll (Arb.fromGen cases) (fun (settings, hello) ->
        decide settings (attemptOf hello [ matching hello ]) = (Some 0, [ ResumptionVerdict.Accepted ]))

[<Property>]
let ``external PSK: one bound to another hash than the suite's is refused, and the next identity gets its chance`` () =
    let cases = Gen.zip3 settings hello handshakeHash
    Prop.forAll (Arb.fromGen cases) (fun (settings, hello, hash) ->
        let psk = OfferedExternalPsk(hash) :> OfferedIdentity
        let verdicts = decide settings (attemptOf hello [ psk; matching hello ])
        if Some hash = hashOf hello.Suite then
            verdicts = (Some 0, [ ResumptionVerdict.Accepted; ResumptionVerdict.Accepted ])
        else
            verdicts = (Some 1, [ ResumptionVerdict.HashMismatch; ResumptionVerdict.Accepted ]))

[<Property>]
let ``external PSK: past the identity cap even a good one is never looked at`` () =
    let cases =
        gen {
            let! settings = settings
            let! hello = hello
            let! position = Gen.choose (ResumptionPolicy.MaxIdentities, 10)
            return settings, hello, position
        }
    Prop.forAll (Arb.fromGen cases) (fun (settings, hello, position) ->
        let unknown = List.replicate position (OfferedTicket(0u, ofOption None) :> OfferedIdentity)
        let chosen, verdicts = decide settings (attemptOf hello (unknown @ [ matching hello ]))
        chosen = None && verdicts.[position] = ResumptionVerdict.BeyondIdentityCap)

[<Property>]
let ``external PSK: only tickets are ever spent`` () =
    Prop.forAll (Arb.fromGen hello) (fun hello ->
        let attempt = attemptOf hello [ matching hello ]
        try
            attempt.Spend 0 |> ignore
            false
        with :? System.ArgumentException ->
            true)

[<Property>]
let ``decide: in any mix of tickets and external PSKs, the first accepted identity is chosen, one verdict each`` () =
    Prop.forAll (Arb.fromGen mixedCase) (fun (settings, hello, identities) ->
        let chosen, verdicts = decide settings (attemptOf hello identities)
        List.length verdicts = List.length identities
        && chosen = (verdicts |> List.tryFindIndex ((=) ResumptionVerdict.Accepted)))

[<Property>]
let ``mode: psk_dhe_ke whenever offered with a key exchange; psk_ke only when allowed and nothing better; else none`` () =
    let cases = Gen.zip3 modes (Gen.elements [ true; false ]) (Gen.elements [ true; false ])
    Prop.forAll (Arb.fromGen cases) (fun (offered, keyExchange, allow) ->
        let settings = ResumptionSettings(AuthenticationContext(ClientCertificateRequirement.None, String.replicate 64 "a"))
        let chosen =
            toOption (ResumptionPolicy.KeyExchangeMode(allowingPskKe settings allow, LanguageExt.Prelude.toSeq (Array.ofList offered), keyExchange))
        let has m = List.contains m offered
        let expected =
            if keyExchange && has PskKeyExchangeMode.psk_dhe_ke then Some PskKeyExchangeMode.psk_dhe_ke
            elif allow && has PskKeyExchangeMode.psk_ke then Some PskKeyExchangeMode.psk_ke
            else None
        chosen = expected)

[<Property>]
let ``mode: where no mode is usable, every identity is refused for it, tickets and external PSKs alike`` () =
    let cases =
        gen {
            let! settings, hello, identities = mixedCase
            let! keyExchange = Gen.elements [ true; false ]
            // psk_ke alone, not allowed; or nothing at all (a client sending an empty list).
            let! offered = Gen.elements [ [ PskKeyExchangeMode.psk_ke ]; [] ]
            let! withDhe = Gen.elements [ true; false ]
            let offered = if withDhe && not keyExchange then PskKeyExchangeMode.psk_dhe_ke :: offered else offered
            return allowingPskKe settings false, hello, identities, offered, keyExchange
        }
    Prop.forAll (Arb.fromGen cases) (fun (settings, hello, identities, offered, keyExchange) ->
        let chosen, verdicts = decide settings (withModes offered keyExchange (attemptOf hello identities))
        chosen = None
        && verdicts
           |> List.mapi (fun index verdict ->
               if index >= ResumptionPolicy.MaxIdentities then verdict = ResumptionVerdict.BeyondIdentityCap
               else verdict = ResumptionVerdict.KeyExchangeModeRefused)
           |> List.forall id)

[<Property>]
let ``mode: allowing psk_ke changes the mode, never which identity is chosen`` () =
    let cases = Gen.zip mixedCase modes
    Prop.forAll (Arb.fromGen cases) (fun ((settings, hello, identities), offered) ->
        let offered = PskKeyExchangeMode.psk_ke :: offered
        let attempt = withModes offered false (attemptOf hello identities)
        let allowed = ResumptionPolicy.Decide(allowingPskKe settings true, attempt)
        let withDhe = ResumptionPolicy.Decide(allowingPskKe settings false, withModes [ PskKeyExchangeMode.psk_dhe_ke ] true (attemptOf hello identities))
        toOption allowed.Chosen = toOption withDhe.Chosen
        && (allowed.Resumes |> not || allowed.KeyExchangeMode = PskKeyExchangeMode.psk_ke))

[<Property>]
let ``peer: an external PSK holder is a verified identity without a certificate, named so that different identities read differently`` () =
    let identity = Gen.nonEmptyListOf (Gen.choose (0, 255) |> Gen.map byte) |> Gen.map (fun bytes -> Bytes(Array.ofList bytes))
    Prop.forAll (Arb.fromGen (Gen.zip identity identity)) (fun (a, b) ->
        let peerA = PeerIdentity.OfExternalPsk a
        let peerB = PeerIdentity.OfExternalPsk b
        peerA.Verified && peerA.IsExternalPsk && peerA.LeafCertificateDer.IsEmpty
        && (peerA = peerB) = (a = b)
        && (peerA.Subject = peerB.Subject) = (a = b)
        && peerA.Subject |> Seq.forall (fun c -> c > ' ' && c < '\127'))
