/// Decoders are total: whatever bytes a peer sends, each returns a value or a typed alert and never throws. Random
/// bytes mostly die at the first length check, so the inputs also include random bodies under a correct handshake
/// header and damaged copies of valid messages, which get past the framing and reach the inner checks.
[<Xunit.Trait("Category", "Unit")>]
module Tickets.Properties.DecodeTotalityProperties

open FsCheck
open FsCheck.FSharp
open FsCheck.Xunit
open Tickets.Core.Protocol
open Tickets.FSharp
open Tickets.Properties.DecodeOutcome
open Tickets.Properties.ProtocolGenerators

/// Every decoder of received bytes, each reduced to whether it produced a value or which alert.
let private decoders: (string * (byte[] -> Outcome<unit>)) list =
    [ "ClientHello", (fun bytes -> decode (fun () -> ClientHelloCodec.Parse bytes) |> shape)
      "ServerHello", (fun bytes -> decode (fun () -> ServerHelloCodec.Decode bytes) |> shape)
      "HelloRetryRequest", (fun bytes -> decode (fun () -> HelloRetryRequestCodec.Decode bytes) |> shape)
      "EncryptedExtensions", (fun bytes -> decode (fun () -> EncryptedExtensionsCodec.Decode bytes) |> shape)
      "CertificateRequest", (fun bytes -> decode (fun () -> CertificateRequestCodec.Decode bytes) |> shape)
      "Certificate", (fun bytes -> decode (fun () -> CertificateCodec.Decode bytes) |> shape)
      "CertificateVerify", (fun bytes -> decode (fun () -> CertificateVerifyCodec.Decode bytes) |> shape)
      "Finished(32)", (fun bytes -> decode (fun () -> FinishedCodec.Decode(bytes, 32)) |> shape)
      "Finished(48)", (fun bytes -> decode (fun () -> FinishedCodec.Decode(bytes, 48)) |> shape)
      "NewSessionTicket", (fun bytes -> decode (fun () -> NewSessionTicketCodec.Decode bytes) |> shape)
      "KeyUpdate", (fun bytes -> decode (fun () -> KeyUpdateCodec.Decode bytes) |> shape)
      "Alert", (fun bytes -> decode (fun () -> AlertCodec.Decode bytes) |> shape)
      "RecordHeader(plaintext)", (fun bytes -> decode (fun () -> RecordHeader.Parse(bytes, false)) |> shape)
      "RecordHeader(protected)", (fun bytes -> decode (fun () -> RecordHeader.Parse(bytes, true)) |> shape)
      // A small limit, so random headers also reach the oversize rejection.
      "HandshakeReassembler", (fun bytes -> decode (fun () -> HandshakeReassembler(1024).Append bytes) |> shape) ]

/// The alerts a decoder may answer malformed bytes with. Anything else (internal_error above all) would tell the
/// peer the server broke, when the peer did.
let private decodingAlerts: Set<AlertDescription> =
    set
        [ AlertDescription.DecodeError
          AlertDescription.IllegalParameter
          AlertDescription.UnexpectedMessage
          AlertDescription.MissingExtension
          AlertDescription.RecordOverflow ]

let private acceptable (outcome: Outcome<unit>) : bool =
    match outcome with
    | Value () -> true
    | Alert alert -> decodingAlerts.Contains alert
    | Untyped _
    | Threw _ -> false

/// All decoders on one input; the label names the first one that broke its promise, with the input in hex.
let private everyDecoderIsTotal (bytes: byte[]) : Property =
    let broken =
        decoders
        |> List.map (fun (name, decoder) -> name, decoder bytes)
        |> List.filter (fun (_, outcome) -> not (acceptable outcome))
    match broken with
    | [] -> true |> Prop.label "total"
    | (name, outcome) :: _ -> false |> Prop.label (sprintf "%s on %s: %s" name (hex bytes) (describe outcome))

let private handshakeTypes: Gen<byte> =
    Gen.frequency
        [ 5, Gen.elements [ 1uy; 2uy; 4uy; 5uy; 8uy; 11uy; 13uy; 15uy; 20uy; 24uy; 254uy ]
          1, octet ]

/// A random body under a 4-byte handshake header whose length is right most of the time and off otherwise.
let private framedBytes: Gen<byte[]> =
    gen {
        let! messageType = handshakeTypes
        let! body = Gen.frequency [ 3, bytesBetween 0 64; 1, bytesBetween 0 400 ]
        let! declared = Gen.frequency [ 4, Gen.constant body.Length; 1, Gen.choose (0, 0xFFFFFF) ]
        return Array.append [| messageType; byte (declared >>> 16); byte (declared >>> 8); byte declared |] body
    }

[<Property(MaxTest = 500)>]
let ``every decoder answers arbitrary bytes with a value or a decoding alert`` () =
    Prop.forAll (Arb.fromGen (Gen.frequency [ 3, bytesBetween 0 16; 2, bytesBetween 0 300 ])) everyDecoderIsTotal

[<Property(MaxTest = 500)>]
let ``every decoder answers random bodies under a handshake header with a value or a decoding alert`` () =
    Prop.forAll (Arb.fromGen framedBytes) everyDecoderIsTotal

[<Property(MaxTest = 500)>]
let ``every decoder answers damaged valid messages with a value or a decoding alert`` () =
    Prop.forAll (Arb.fromGen (anyHandshakeMessage |> Gen.bind ByteMutation.mutated)) everyDecoderIsTotal

let private reencoded (fin: LanguageExt.Fin<'a>) (encode: 'a -> byte[]) : byte[] option =
    match Fin.toResult fin with
    | Ok value -> Some (encode value)
    | Result.Error _ -> None

/// Decoders whose wire form has exactly one encoding for each value: for these, any accepted input must re-encode
/// to itself, so "encode (decode bytes) = bytes" holds for every valid input, not only for ones we encoded.
[<Property(MaxTest = 400)>]
let ``whatever the canonical decoders accept re-encodes to the very same bytes`` () =
    // ClientHello is canonical once it has an extensions block: the encoder always writes one, so a hello
    // without it is the single accepted form that re-encodes longer, and is left out here.
    let hasExtensionsBlock (hello: ClientHello) (bytes: byte[]) =
        ClientHelloCodec.Encode(hello).Length = bytes.Length
    let checks (bytes: byte[]) : (string * byte[] option) list =
        [ "ClientHello",
          (match Fin.toResult (ClientHelloCodec.Parse bytes) with
           | Ok hello when hasExtensionsBlock hello bytes -> Some (ClientHelloCodec.Encode hello)
           | _ -> None)
          "CertificateVerify", reencoded (CertificateVerifyCodec.Decode bytes) CertificateVerifyCodec.Encode
          "Finished", reencoded (FinishedCodec.Decode(bytes, max 0 (bytes.Length - 4))) FinishedCodec.Encode
          "NewSessionTicket", reencoded (NewSessionTicketCodec.Decode bytes) NewSessionTicketCodec.Encode
          "KeyUpdate", reencoded (KeyUpdateCodec.Decode bytes) KeyUpdateCodec.Encode
          "Alert", reencoded (AlertCodec.Decode bytes) AlertCodec.Encode
          // Parse reads the first five bytes of whatever it is handed, so only a five-byte input is the whole header.
          "RecordHeader",
          (if bytes.Length = RecordHeader.Size then
               reencoded (RecordHeader.Parse(bytes, true)) (fun header -> header.ToArray())
           else
               None) ]
    let inputs =
        Gen.oneof
            [ anyHandshakeMessage |> Gen.bind ByteMutation.mutated
              bytesBetween 2 2
              bytesBetween 5 5 ]
    Prop.forAll (Arb.fromGen inputs) (fun bytes ->
        let accepted = checks bytes |> List.choose (fun (name, back) -> back |> Option.map (fun b -> name, b))
        accepted
        |> List.forall (fun (_, back) -> back = bytes)
        |> Prop.label (sprintf "%A differ on %s" (accepted |> List.filter (fun (_, b) -> b <> bytes) |> List.map fst) (hex bytes)))

/// A stream of whole messages cut into pieces: a few random cuts, or (now and then) one byte per piece.
let private cutInto (stream: byte[]) : Gen<byte[] list> =
    let randomCuts =
        gen {
            let! count = Gen.choose (0, 12)
            let! cuts = Gen.listOfLength count (Gen.choose (1, stream.Length - 1))
            let bounds = 0 :: (List.distinct cuts |> List.sort) @ [ stream.Length ]
            return bounds |> List.pairwise |> List.map (fun (a, b) -> stream[a .. b - 1])
        }
    let bytewise = Gen.constant (stream |> Array.map (fun b -> [| b |]) |> List.ofArray)
    Gen.frequency [ 6, randomCuts; 1, bytewise ]

[<Property(MaxTest = 200)>]
let ``the reassembler turns any fragmentation of valid messages into exactly those messages`` () =
    let scenario =
        gen {
            let! count = Gen.choose (1, 5)
            let! messages = Gen.listOfLength count anyHandshakeMessage
            let! pieces = cutInto (Array.concat messages)
            return messages, pieces
        }
    Prop.forAll (Arb.fromGen scenario) (fun (messages, pieces) ->
        // Message boundaries within the stream: a partial message must be reported exactly between them.
        let boundaries = messages |> List.scan (fun offset message -> offset + Array.length message) 0 |> Set.ofList
        let step (state: Result<byte[] list * HandshakeReassembler * int, string>) (piece: byte[]) =
            match state with
            | Result.Error _ -> state
            | Ok (collected, reassembler, consumed) ->
                match Fin.toResult (reassembler.Append piece) with
                | Ok (struct (completed, next)) ->
                    let consumed = consumed + piece.Length
                    if next.HasPartialMessage = boundaries.Contains consumed then
                        Result.Error (sprintf "HasPartialMessage wrong after %d bytes" consumed)
                    else
                        Ok (collected @ List.ofSeq completed, next, consumed)
                | Result.Error error -> Result.Error error.Message
        // Any cut at all: the cap on records per message (a policy with its own tests) is lifted here.
        match List.fold step (Ok ([], HandshakeReassembler(HandshakeReassembler.DefaultMaxMessageLength, 1), 0)) pieces with
        | Ok (collected, last, _) ->
            (collected = messages |> Prop.label "messages differ")
            .&. (not last.HasPartialMessage |> Prop.label "bytes left over")
        | Result.Error reason -> false |> Prop.label reason)

/// Appends the pieces one by one: the completed messages and the last reassembler, or the first failure's message.
let private reassemble (start: HandshakeReassembler) (pieces: byte[] list) : Result<byte[] list * HandshakeReassembler, string> =
    let step state (piece: byte[]) =
        match state with
        | Result.Error _ -> state
        | Ok (collected, (reassembler: HandshakeReassembler)) ->
            match Fin.toResult (reassembler.Append piece) with
            | Ok (struct (completed, next)) -> Ok (collected @ List.ofSeq completed, next)
            | Result.Error error -> Result.Error error.Message
    List.fold step (Ok ([], start)) pieces

[<Property(MaxTest = 300)>]
let ``a reassembler answers the same every time, however often an older one is appended to`` () =
    // The reassembler writes into a buffer it shares with its predecessors (that is what makes it linear); sharing must
    // not leak: after a step from an older reassembler, another branch appended to that same older one must change
    // neither the messages already handed out nor the ones the first branch goes on to complete.
    let scenario =
        gen {
            let! count = Gen.choose (1, 4)
            let! messages = Gen.listOfLength count anyHandshakeMessage
            let! pieces = cutInto (Array.concat messages)
            let! split = Gen.choose (0, List.length pieces - 1)
            let! noise = Gen.arrayOfLength 5 (Gen.choose (0, 255) |> Gen.map byte)
            return pieces, split, noise
        }
    Prop.forAll (Arb.fromGen scenario) (fun (pieces, split, noise) ->
        let before, after = List.splitAt split pieces
        let lifted = HandshakeReassembler(HandshakeReassembler.DefaultMaxMessageLength, 1)
        // Copies: comparing the very arrays handed out would miss bytes changed under them.
        let copies (messages: byte[] seq) = messages |> Seq.map Array.copy |> List.ofSeq
        match reassemble lifted before, after with
        | Result.Error reason, _ -> false |> Prop.label reason
        | Ok _, [] -> true |> Prop.label "nothing after the split"
        | Ok (_, middle), head :: tail ->
            let undisturbed = reassemble middle after |> Result.map (fst >> copies)
            match Fin.toResult (middle.Append head) with
            | Result.Error error -> false |> Prop.label error.Message
            | Ok (struct (completedByHead, stepped)) ->
                // Another branch from the same older reassembler, with other bytes where head's went.
                middle.Append (Array.append noise head) |> ignore
                let disturbed =
                    reassemble stepped tail |> Result.map (fun (rest, _) -> copies completedByHead @ copies rest)
                (undisturbed = disturbed) |> Prop.label "an older reassembler's second branch changed the first one's messages")
