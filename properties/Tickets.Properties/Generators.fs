/// Generators for contexts, connections and event sequences. Counts stay small enough that a decision's ticket list
/// fits comfortably in memory, while still crossing the interesting boundaries 0, 1 and "more than one".
module Tickets.Properties.Generators

open FsCheck
open FsCheck.FSharp
open Tickets.Core
open Tickets.Core.Model
open Tickets.Core.Protocol
open Tickets.Properties.Interop

/// An event a server reports to the policy, as an F# union so properties can build and inspect it with `match`. A
/// handshake carries what its ClientHello said about tickets: whether psk_key_exchange_modes was there, and the RFC 9149
/// ticket_request if any.
type Event =
    | Full of offeredPskModes: bool * peer: PeerIdentity option * asked: TicketRequest option
    | Resumed of offeredPskModes: bool * restoredPeer: PeerIdentity option * asked: TicketRequest option
    | PostHandshakeAuth of peer: PeerIdentity option
    | Extra of count: int

/// The core outcome an event stands for.
let toOutcome (event: Event) : HandshakeOutcome =
    match event with
    | Full (offered, peer, asked) -> HandshakeOutcome.FullHandshake(offered, ofOption peer, TicketRequest = ofOption asked)
    | Resumed (offered, peer, asked) -> HandshakeOutcome.Resumption(offered, ofOption peer, TicketRequest = ofOption asked)
    | PostHandshakeAuth peer -> HandshakeOutcome.PostHandshakeAuthCompleted(ofOption peer)
    | Extra count -> HandshakeOutcome.ExtraTicketsRequested(count)

let count: Gen<int> =
    Gen.frequency [ 3, Gen.choose (0, 3); 2, Gen.choose (4, 12); 1, Gen.choose (13, 200) ]

let negativeOrCount: Gen<int> =
    Gen.frequency [ 5, count; 1, Gen.choose (-1000, -1) ]

/// Timeouts around the seven-day clamp as well as small and extreme ones.
let timeout: Gen<uint32> =
    Gen.oneof
        [ Gen.choose (0, 100_000) |> Gen.map uint32
          Gen.choose (604_700, 604_900) |> Gen.map uint32
          Gen.choose64 (0L, int64 System.UInt32.MaxValue) |> Gen.map uint32
          Gen.constant Context.DefaultSessionTimeoutSeconds ]

let peer: Gen<PeerIdentity> =
    gen {
        let! subject = Gen.elements [ "CN=alice"; "CN=bob"; "CN=carol" ]
        let! der = Gen.arrayOfLength 4 (Gen.choose (0, 255) |> Gen.map byte)
        let! verified = Gen.elements [ true; false ]
        return PeerIdentity(subject, Bytes der, verified, (if verified then "ok" else "unverified"))
    }

let peerOption: Gen<PeerIdentity option> = Gen.optionOf peer

let mode: Gen<TicketMode> = Gen.elements [ TicketMode.Stateless; TicketMode.Stateful ]

let context: Gen<Context> =
    gen {
        let! count = count
        let! timeout = timeout
        let! mode = mode
        let! strict = Gen.frequency [ 3, Gen.constant false; 1, Gen.constant true ]
        let withCount =
            match outcomeOf (Context.Default.SetNumTickets count) with
            | Ok context -> context
            | Result.Error _ -> Context.Default
        return withCount.WithSessionTimeout(timeout).WithTicketMode(mode).WithStrictPskModes(strict)
    }

/// RFC 9149 requests around the interesting values: zero, one, the default maximum and the byte's top.
let ticketRequest: Gen<TicketRequest> =
    let field = Gen.frequency [ 3, Gen.choose (0, 3); 2, Gen.choose (4, 12); 1, Gen.choose (13, 255) ] |> Gen.map byte
    Gen.map2 (fun fresh resumed -> TicketRequest(fresh, resumed)) field field

/// Maxima for ticket_request from zero to above any request, the default among them.
let maxTicketRequest: Gen<int> =
    Gen.frequency [ 1, Gen.constant Context.DefaultMaxTicketRequest; 2, Gen.choose (0, 10); 1, Gen.choose (11, 300) ]

/// A handshake whose ClientHello sent ticket_request or not, as <paramref name="asked"/> generates.
let handshakeAsking (asked: Gen<TicketRequest option>) : Gen<Event> =
    gen {
        let! offered = Gen.frequency [ 3, Gen.constant true; 1, Gen.constant false ]
        let! peer = peerOption
        let! resumed = Gen.elements [ true; false ]
        let! asked = asked
        return if resumed then Resumed (offered, peer, asked) else Full (offered, peer, asked)
    }

/// A handshake without ticket_request: OpenSSL 3.0's rules alone.
let handshake: Gen<Event> = handshakeAsking (Gen.constant None)

/// Events that may follow a completed handshake.
let afterHandshake: Gen<Event> =
    Gen.frequency
        [ 2, peerOption |> Gen.map PostHandshakeAuth
          2, Gen.choose (0, 5) |> Gen.map Extra ]

/// Any event, including ones out of order, for the error paths; handshakes without ticket_request.
let anyEvent: Gen<Event> =
    Gen.frequency [ 1, handshake; 3, afterHandshake; 1, Gen.choose (-3, -1) |> Gen.map Extra ]

/// Any event, handshakes sending ticket_request or not.
let anyEventAsking: Gen<Event> =
    Gen.frequency [ 1, handshakeAsking (Gen.optionOf ticketRequest); 3, afterHandshake; 1, Gen.choose (-3, -1) |> Gen.map Extra ]

/// A well-ordered life of one connection: a handshake as <paramref name="first"/> generates it, then post-handshake
/// events, with the connection's count possibly changed before each event (Some n = SSL_set_num_tickets(n) first).
let lifeStartingWith (first: Gen<Event>) : Gen<(int option * Event) list> =
    gen {
        let! first = first
        let! firstCount = Gen.optionOf count
        let! rest = Gen.listOf (Gen.zip (Gen.optionOf count) afterHandshake)
        return (firstCount, first) :: rest
    }

/// A well-ordered life whose handshake sent no ticket_request.
let connectionLife: Gen<(int option * Event) list> = lifeStartingWith handshake

/// A well-ordered life whose handshake may have sent ticket_request.
let connectionLifeAsking: Gen<(int option * Event) list> = lifeStartingWith (handshakeAsking (Gen.optionOf ticketRequest))

type Arbitraries =
    static member Context() = Arb.fromGen context
    static member Event() = Arb.fromGen anyEvent
    static member PeerIdentity() = Arb.fromGen peer
