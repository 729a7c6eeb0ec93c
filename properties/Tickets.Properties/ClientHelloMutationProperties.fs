/// Real ClientHellos from eleven clients, damaged. Blind damage (bit flips, truncation) must end in a value or an
/// alert, never an exception; damage aimed at one rule must end in the alert RFC 8446 names for breaking it.
[<Xunit.Trait("Category", "Unit")>]
module Tickets.Properties.ClientHelloMutationProperties

open FsCheck
open FsCheck.FSharp
open FsCheck.Xunit
open Tickets.Core
open Tickets.Core.Negotiation
open Tickets.Core.Protocol
open Tickets.Properties.DecodeOutcome
open Tickets.Properties.HelloSurgery

let private fixtureName: Gen<string> = Gen.delay (fun () -> Gen.elements (ClientHelloFixtures.names ()))

let private parse (bytes: byte[]) : Outcome<ClientHello> = decode (fun () -> ClientHelloCodec.Parse bytes)

/// An ECDSA P-256 server offering h2: what the negotiator needs to get as far as the rule under test.
let private preferences =
    ServerPreferences.For(EquatableArray.Of [ SignatureScheme.ecdsa_secp256r1_sha256 ], EquatableArray.Of [ "h2" ])

let private negotiate (hello: ClientHello) : Outcome<Negotiation> =
    decode (fun () -> Negotiator.Negotiate(hello, preferences))

/// Alerts a malformed ClientHello may draw from the decoder: a flipped type byte makes it an unexpected message.
let private helloAlerts =
    set [ AlertDescription.DecodeError; AlertDescription.IllegalParameter; AlertDescription.UnexpectedMessage ]

/// Parsing and, when the damaged hello still parses, negotiating both end in a value or a typed alert.
let private survives (label: string) (bytes: byte[]) : Property =
    match parse bytes with
    | Value hello ->
        let negotiated = negotiate hello
        isTotal negotiated |> Prop.label (sprintf "%s: negotiator %s on %s" label (describe negotiated) (hex bytes))
    | Alert alert -> helloAlerts.Contains alert |> Prop.label (sprintf "%s: unexpected alert %A" label alert)
    | outcome -> false |> Prop.label (sprintf "%s: %s on %s" label (describe outcome) (hex bytes))

/// The outcome must be exactly this alert.
let private expectAlert (expected: AlertDescription) (label: string) (outcome: Outcome<'a>) : Property =
    match outcome with
    | Alert alert when alert = expected -> true |> Prop.label label
    | other -> false |> Prop.label (sprintf "%s: expected %A, got %s" label expected (describe other))

[<Property(MaxTest = 400)>]
let ``bit flips anywhere in a real hello end in a value or an alert, and so does negotiating what still parses`` () =
    let scenario =
        gen {
            let! name = fixtureName
            let length = (ClientHelloFixtures.message name).Length
            let! count = Gen.choose (1, 8)
            let! flips = Gen.listOfLength count (Gen.zip (Gen.choose (0, length - 1)) (Gen.choose (0, 7)))
            return name, flips
        }
    Prop.forAll (Arb.fromGen scenario) (fun (name, flips) ->
        let bytes = ClientHelloFixtures.message name
        for position, bit in flips do
            bytes[position] <- bytes[position] ^^^ (1uy <<< bit)
        survives name bytes)

[<Property(MaxTest = 300)>]
let ``assorted edits to a real hello, header refitted or not, end in a value or an alert`` () =
    let scenario =
        gen {
            let! name = fixtureName
            let! bytes = ByteMutation.mutated (ClientHelloFixtures.message name)
            return name, bytes
        }
    Prop.forAll (Arb.fromGen scenario) (fun (name, bytes) -> survives name bytes)

[<Property(MaxTest = 200)>]
let ``a real hello cut short under its original header is a decode_error`` () =
    let scenario =
        gen {
            let! name = fixtureName
            let! length = Gen.choose (0, (ClientHelloFixtures.message name).Length - 1)
            return name, length
        }
    Prop.forAll (Arb.fromGen scenario) (fun (name, length) ->
        let bytes = Array.truncate length (ClientHelloFixtures.message name)
        parse bytes |> expectAlert AlertDescription.DecodeError (sprintf "%s cut to %d bytes" name length))

[<Property(MaxTest = 200)>]
let ``a real hello cut short and re-framed is a decode_error or, cut right after a field, a value`` () =
    let scenario =
        gen {
            let! name = fixtureName
            let! length = Gen.choose (4, (ClientHelloFixtures.message name).Length - 1)
            return name, length
        }
    Prop.forAll (Arb.fromGen scenario) (fun (name, length) ->
        let bytes = ByteMutation.refitHandshakeLength (Array.truncate length (ClientHelloFixtures.message name))
        match parse bytes with
        | Value _
        | Alert AlertDescription.DecodeError -> true |> Prop.label "ok"
        | other -> false |> Prop.label (sprintf "%s cut to %d: %s" name length (describe other)))

/// Which length field to put off by one.
type LengthField =
    | HandshakeLength
    | ExtensionsBlockLength
    | ExtensionLength of index: int

[<Property(MaxTest = 300)>]
let ``a length field off by one (handshake, extensions block, any one extension) is a decode_error`` () =
    let scenario =
        gen {
            let! name = fixtureName
            let extensionCount = (layoutOf (ClientHelloFixtures.message name)).Extensions.Length
            let! field =
                Gen.frequency
                    [ 1, Gen.constant HandshakeLength
                      1, Gen.constant ExtensionsBlockLength
                      4, Gen.choose (0, extensionCount - 1) |> Gen.map ExtensionLength ]
            let! delta = Gen.elements [ -1; 1 ]
            return name, field, delta
        }
    Prop.forAll (Arb.fromGen scenario) (fun (name, field, delta) ->
        let original = ClientHelloFixtures.message name
        let layout = layoutOf original
        let offset, width =
            match field with
            | HandshakeLength -> 1, 3
            | ExtensionsBlockLength -> layout.ExtensionsLengthAt, 2
            | ExtensionLength index ->
                let _, _, lengthAt = layout.Extensions[index]
                lengthAt, 2
        nudgeLength original offset width delta
        |> parse
        |> expectAlert AlertDescription.DecodeError (sprintf "%s, %A %+d" name field delta))

[<Property(MaxTest = 200)>]
let ``an extension sent twice, wherever the copy goes, is illegal_parameter`` () =
    let scenario =
        gen {
            let! name = fixtureName
            let count = (layoutOf (ClientHelloFixtures.message name)).Extensions.Length
            let! copied = Gen.choose (0, count - 1)
            let! position = Gen.choose (0, count)
            return name, copied, position
        }
    Prop.forAll (Arb.fromGen scenario) (fun (name, copied, position) ->
        let layout = layoutOf (ClientHelloFixtures.message name)
        let extensions = extensionsOf layout
        rebuild layout.Fixed (List.insertAt position extensions[copied] extensions)
        |> parse
        |> expectAlert AlertDescription.IllegalParameter (sprintf "%s, extension %d copied to %d" name copied position))

/// The pre_shared_key a real client (OpenSSL resuming) sent, to plant in every other hello.
let private realPreSharedKey: Lazy<uint16 * byte[]> =
    lazy
        (ClientHelloFixtures.names ()
         |> List.collect (fun name -> extensionsOf (layoutOf (ClientHelloFixtures.message name)))
         |> List.find (fun (code, _) -> code = preSharedKeyCode))

[<Property(MaxTest = 200)>]
let ``pre_shared_key anywhere but last is illegal_parameter`` () =
    let scenario =
        gen {
            let! name = fixtureName
            let others =
                extensionsOf (layoutOf (ClientHelloFixtures.message name))
                |> List.filter (fun (code, _) -> code <> preSharedKeyCode)
            // At least one extension must follow it, so the last slot is excluded.
            let! position = Gen.choose (0, others.Length - 1)
            return name, position
        }
    Prop.forAll (Arb.fromGen scenario) (fun (name, position) ->
        let layout = layoutOf (ClientHelloFixtures.message name)
        let others = extensionsOf layout |> List.filter (fun (code, _) -> code <> preSharedKeyCode)
        rebuild layout.Fixed (List.insertAt position (realPreSharedKey.Force()) others)
        |> parse
        |> expectAlert AlertDescription.IllegalParameter (sprintf "%s, pre_shared_key at %d of %d" name position (others.Length + 1)))

[<Property(MaxTest = 200)>]
let ``supported_versions without TLS 1.3, or none at all, parses and is refused with protocol_version`` () =
    let olderVersion = Gen.elements [ 0x0300; 0x0301; 0x0302; 0x0303; 0x7F1C; 0x0A0A; 0x0305 ]
    let scenario =
        gen {
            let! name = fixtureName
            let! versions = Gen.frequency [ 4, Gen.nonEmptyListOf olderVersion; 1, Gen.constant [] ]
            return name, versions
        }
    Prop.forAll (Arb.fromGen scenario) (fun (name, versions) ->
        let layout = layoutOf (ClientHelloFixtures.message name)
        // An empty list here means "drop the extension": a TLS 1.2 client does not send it at all.
        let body = Array.append [| byte (2 * versions.Length) |] (versions |> List.toArray |> Array.collect (fun v -> [| byte (v >>> 8); byte v |]))
        let extensions =
            extensionsOf layout
            |> List.choose (fun (code, data) ->
                if code <> supportedVersionsCode then Some (code, data)
                elif versions.IsEmpty then None
                else Some (code, body))
        let label = sprintf "%s offering %A" name versions
        match parse (rebuild layout.Fixed extensions) with
        | Value hello -> negotiate hello |> expectAlert AlertDescription.ProtocolVersion label
        | other -> false |> Prop.label (sprintf "%s: did not parse: %s" label (describe other)))
