/// Generators for resumption decisions: server settings, the attempt a ClientHello makes, and sessions that are
/// "honest" (exactly what this server would have issued to this client) so that a property can break one rule at a
/// time and see that rule's verdict, and nothing else.
module Tickets.Properties.ResumptionGenerators

open FsCheck
open FsCheck.FSharp
open Tickets.Core.Model
open Tickets.Core.Policy
open Tickets.Core.Protocol
open Tickets.FSharp

/// A session's fields as an F# record, so properties can change one with `with` (F# cannot use C#'s `with`).
type SessionFields =
    { Version: uint16
      Suite: CipherSuite
      IssuedAt: int64
      Lifetime: uint32
      AgeAdd: uint32
      ServerName: string option
      Protocol: string option
      Peer: PeerIdentity option
      Context: AuthenticationContext }

let fieldsOf (session: ResumableSession) =
    { Version = session.ProtocolVersion
      Suite = session.CipherSuite
      IssuedAt = session.IssuedAtMilliseconds
      Lifetime = session.LifetimeSeconds
      AgeAdd = session.AgeAdd
      ServerName = Option.ofLanguageExt session.ServerName
      Protocol = Option.ofLanguageExt session.ApplicationProtocol
      Peer = Option.ofLanguageExt session.Peer
      Context = session.AuthenticationContext }

let sessionOf (fields: SessionFields) =
    ResumableSession(
        fields.Version,
        fields.Suite,
        fields.IssuedAt,
        fields.Lifetime,
        fields.AgeAdd,
        Option.toLanguageExt fields.ServerName,
        Option.toLanguageExt fields.Protocol,
        Option.toLanguageExt fields.Peer,
        fields.Context)

/// The session with one change made to its fields.
let change (edit: SessionFields -> SessionFields) (session: ResumableSession) = session |> fieldsOf |> edit |> sessionOf

let digests = [ String.replicate 64 "a"; String.replicate 64 "b"; String.replicate 64 "c" ]

let requirement: Gen<ClientCertificateRequirement> =
    Gen.elements [ ClientCertificateRequirement.None; ClientCertificateRequirement.Request; ClientCertificateRequirement.Require ]

let authenticationContext: Gen<AuthenticationContext> =
    gen {
        let! requirement = requirement
        let! digest = Gen.elements digests
        return AuthenticationContext(requirement, digest)
    }

/// Names differing in case only are the same host (RFC 4343); None is a client that sent no server_name.
let serverName: Gen<string option> =
    Gen.elements [ None; Some "example.com"; Some "EXAMPLE.com"; Some "other.test"; Some "10.0.0.1" ]

let applicationProtocol: Gen<string option> = Gen.elements [ None; Some "h2"; Some "http/1.1" ]

let suite: Gen<CipherSuite> =
    Gen.elements
        [ CipherSuite.TLS_AES_128_GCM_SHA256
          CipherSuite.TLS_AES_256_GCM_SHA384
          CipherSuite.TLS_CHACHA20_POLY1305_SHA256
          CipherSuite.TLS_AES_128_CCM_SHA256 ]

let verifiedPeer: Gen<PeerIdentity> =
    Generators.peer |> Gen.map (fun peer -> PeerIdentity(peer.Subject, peer.LeafCertificateDer, true, "ok"))

let unverifiedPeer: Gen<PeerIdentity> =
    Generators.peer |> Gen.map (fun peer -> PeerIdentity(peer.Subject, peer.LeafCertificateDer, false, "UntrustedRoot"))

let settings: Gen<ResumptionSettings> =
    gen {
        let! context = authenticationContext
        let! allowChange = Gen.frequency [ 3, Gen.constant false; 1, Gen.constant true ]
        return ResumptionSettings(context, AllowServerNameChange = allowChange)
    }

/// The ClientHello's side, without offered tickets yet.
type Hello =
    { Suite: CipherSuite
      ServerName: string option
      Protocol: string option
      Now: int64 }

let hello: Gen<Hello> =
    gen {
        let! suite = suite
        let! name = serverName
        let! protocol = applicationProtocol
        let! now = Gen.choose64 (1_000_000_000_000L, 4_000_000_000_000L)
        return { Suite = suite; ServerName = name; Protocol = protocol; Now = now }
    }

/// A session exactly as this server, with these settings, would have issued it for this hello some time ago, and the
/// obfuscated age an honest client reports for it: every rule accepts it.
let honest (settings: ResumptionSettings) (hello: Hello) : Gen<ResumableSession * uint32> =
    gen {
        let! lifetime = Gen.choose (1, 604_800) |> Gen.map uint32
        let! age = Gen.choose64 (0L, int64 lifetime * 1000L)
        let! skew = Gen.choose (-10_000, 10_000)
        let! ageAdd = Gen.choose64 (0L, int64 System.UInt32.MaxValue) |> Gen.map uint32
        let! peer =
            if settings.AuthenticationContext.RequiresVerifiedClient then
                verifiedPeer |> Gen.map Some
            else
                Gen.optionOf Generators.peer
        let session =
            ResumableSession(
                ProtocolVersion.Tls13,
                hello.Suite,
                hello.Now - age,
                lifetime,
                ageAdd,
                Option.toLanguageExt hello.ServerName,
                Option.toLanguageExt hello.Protocol,
                Option.toLanguageExt peer,
                settings.AuthenticationContext)
        let clientAge = max 0L (age + int64 skew)
        return session, uint32 clientAge + ageAdd
    }

/// Anything at all where a session goes, honest or not.
let anySession (hello: Hello) : Gen<ResumableSession> =
    gen {
        let! version = Gen.frequency [ 9, Gen.constant ProtocolVersion.Tls13; 1, Gen.constant ProtocolVersion.Tls12 ]
        let! suite = Gen.frequency [ 5, suite; 1, Gen.constant (LanguagePrimitives.EnumOfValue<uint16, CipherSuite> 0x1399us) ]
        let! age = Gen.choose64 (-100_000L, 800_000_000L)
        let! lifetime = Gen.choose (0, 700_000) |> Gen.map uint32
        let! ageAdd = Gen.choose64 (0L, int64 System.UInt32.MaxValue) |> Gen.map uint32
        let! name = serverName
        let! protocol = applicationProtocol
        let! peer = Gen.optionOf Generators.peer
        let! context = authenticationContext
        return
            ResumableSession(
                version, suite, hello.Now - age, lifetime, ageAdd, Option.toLanguageExt name, Option.toLanguageExt protocol, Option.toLanguageExt peer, context)
    }

let offered (hello: Hello) : Gen<OfferedTicket> =
    gen {
        let! session = Gen.optionOf (anySession hello)
        let! age = Gen.choose64 (0L, int64 System.UInt32.MaxValue) |> Gen.map uint32
        let! spent = Gen.frequency [ 5, Gen.constant false; 1, Gen.constant true ]
        return OfferedTicket(age, Option.toLanguageExt session, Spent = spent)
    }

/// An attempt offering any identities, tickets or external PSKs, with psk_dhe_ke as its only mode.
let attemptOf (hello: Hello) (identities: OfferedIdentity list) =
    ResumptionAttempt.create hello.Suite hello.ServerName hello.Protocol hello.Now identities

/// An attempt offering tickets only.
let attempt (hello: Hello) (tickets: OfferedTicket list) =
    attemptOf hello (tickets |> List.map (fun ticket -> ticket :> OfferedIdentity))

/// Settings, a hello and up to eight offered identities, any of them arbitrary.
let anyCase: Gen<ResumptionSettings * Hello * OfferedTicket list> =
    gen {
        let! settings = settings
        let! hello = hello
        let! count = Gen.choose (0, 8)
        let! tickets = Gen.listOfLength count (offered hello)
        return settings, hello, tickets
    }

/// The decision as F# values: the chosen index and the verdicts in order.
let decide (settings: ResumptionSettings) (attempt: ResumptionAttempt) : int option * ResumptionVerdict list =
    let decision = ResumptionPolicy.decide settings attempt
    ResumptionDecision.chosen decision, ResumptionDecision.verdicts decision
