/// Every codec round-trips: decoding an encoding gives back what was encoded, and re-encoding what was decoded gives
/// back the same bytes. The core's messages compare by value (their bytes and lists included), so each check is F#'s
/// `=` on the messages themselves.
[<Xunit.Trait("Category", "Unit")>]
module Tickets.Properties.CodecRoundTripProperties

open FsCheck
open FsCheck.FSharp
open FsCheck.Xunit
open Tickets.Core
open Tickets.Core.Protocol
open Tickets.Properties.Interop
open Tickets.Properties.ProtocolGenerators

/// decode (encode x) = Ok x, and encode (decode (encode x)) = encode x.
let private roundTrips (encode: 'm -> byte[]) (decode: byte[] -> LanguageExt.Fin<'m>) (message: 'm) : Property =
    let bytes = encode message
    match toResult (decode bytes) with
    | Ok back ->
        (back = message |> Prop.label (sprintf "decoded %A, encoded %A" back message))
        .&. (encode back = bytes |> Prop.label "re-encoding differs")
    | Result.Error error -> false |> Prop.label (sprintf "own encoding rejected (%s): %s" error.Message (DecodeOutcome.hex bytes))

[<Property(MaxTest = 300)>]
let ``ClientHello: decode (encode x) = x, raw fields and every interpreted extension, the binders offset included`` () =
    // The generated hello holds what the decoder must find: the raw extensions the encoder writes, each interpreted
    // extension, and the binders offset counted from the end of the message.
    Prop.forAll (Arb.fromGen clientHello) (roundTrips ClientHelloCodec.Encode (fun bytes -> ClientHelloCodec.Parse bytes))

[<Property(MaxTest = 40)>]
let ``ClientHello: every real client's hello re-encodes to exactly the bytes it sent`` () =
    Prop.forAll (Arb.fromGen (Gen.elements (ClientHelloFixtures.names ()))) (fun name ->
        let bytes = ClientHelloFixtures.message name
        match toResult (ClientHelloCodec.Parse bytes) with
        | Ok hello ->
            (ClientHelloCodec.Encode hello = bytes |> Prop.label name)
            .&. (toResult (ClientHelloCodec.Parse(ClientHelloCodec.Encode hello)) = Ok hello |> Prop.label (name + " decodes differently"))
        | Result.Error _ -> false |> Prop.label (name + " rejected"))

[<Property>]
let ``ServerHello round-trips`` () =
    Prop.forAll (Arb.fromGen serverHello) (roundTrips ServerHelloCodec.Encode (fun bytes -> ServerHelloCodec.Decode bytes))

[<Property>]
let ``HelloRetryRequest round-trips and is recognised as one`` () =
    Prop.forAll (Arb.fromGen helloRetryRequest) (fun request ->
        roundTrips HelloRetryRequestCodec.Encode (fun bytes -> HelloRetryRequestCodec.Decode bytes) request
        .&. (ServerHelloCodec.IsHelloRetryRequest(HelloRetryRequestCodec.Encode request) |> Prop.label "not recognised as a HelloRetryRequest"))

[<Property>]
let ``EncryptedExtensions round-trips`` () =
    Prop.forAll (Arb.fromGen encryptedExtensions) (
        roundTrips EncryptedExtensionsCodec.Encode (fun bytes -> EncryptedExtensionsCodec.Decode bytes))

[<Property>]
let ``CertificateRequest round-trips`` () =
    Prop.forAll (Arb.fromGen certificateRequest) (
        roundTrips CertificateRequestCodec.Encode (fun bytes -> CertificateRequestCodec.Decode bytes))

[<Property>]
let ``Certificate round-trips`` () =
    Prop.forAll (Arb.fromGen certificate) (roundTrips CertificateCodec.Encode (fun bytes -> CertificateCodec.Decode bytes))

[<Property>]
let ``CertificateVerify round-trips`` () =
    Prop.forAll (Arb.fromGen certificateVerify) (
        roundTrips CertificateVerifyCodec.Encode (fun bytes -> CertificateVerifyCodec.Decode bytes))

[<Property>]
let ``Finished round-trips when the decoder is told the hash length`` () =
    Prop.forAll (Arb.fromGen finished) (fun message ->
        roundTrips FinishedCodec.Encode (fun bytes -> FinishedCodec.Decode(bytes, message.VerifyData.Length)) message)

[<Property>]
let ``NewSessionTicket round-trips, extensions in order`` () =
    Prop.forAll (Arb.fromGen newSessionTicket) (
        roundTrips NewSessionTicketCodec.Encode (fun bytes -> NewSessionTicketCodec.Decode bytes))

[<Property>]
let ``NewSessionTicket written into a flight buffer is byte for byte the encoded message`` () =
    let withoutExtensions =
        newSessionTicket
        |> Gen.map (fun t -> NewSessionTicket(t.LifetimeSeconds, t.AgeAdd, t.Nonce, t.Ticket, EquatableArray<Extension>.Empty))
    Prop.forAll (Arb.fromGen (Gen.zip withoutExtensions withoutExtensions)) (fun (first, second) ->
        // Two messages into one buffer, as a flight is built: each lands whole and in order.
        let flight = System.Buffers.ArrayBufferWriter<byte>(1)
        for t in [ first; second ] do
            NewSessionTicketCodec.EncodeTo(flight, t.LifetimeSeconds, t.AgeAdd, t.Nonce.Span, t.Ticket.Span)
        flight.WrittenSpan.ToArray() = Array.append (NewSessionTicketCodec.Encode first) (NewSessionTicketCodec.Encode second))

[<Property>]
let ``KeyUpdate round-trips`` () =
    Prop.forAll (Arb.fromGen keyUpdate) (roundTrips KeyUpdateCodec.Encode (fun bytes -> KeyUpdateCodec.Decode bytes))

[<Property>]
let ``alerts round-trip, any level and description bytes`` () =
    Prop.forAll (Arb.fromGen alert) (roundTrips AlertCodec.Encode (fun bytes -> AlertCodec.Decode bytes))

[<Property>]
let ``record headers round-trip under the limit that applies`` () =
    Prop.forAll (Arb.fromGen recordHeader) (fun (header, protectedRecord) ->
        roundTrips (fun (h: RecordHeader) -> h.ToArray()) (fun bytes -> RecordHeader.Parse(bytes, protectedRecord)) header)

[<Property>]
let ``equal messages are equal values: two decodings of the same bytes compare equal and hash alike`` () =
    Prop.forAll (Arb.fromGen anyHandshakeMessage) (fun bytes ->
        let twice (decode: byte[] -> LanguageExt.Fin<'m>) =
            match toResult (decode bytes), toResult (decode (Array.copy bytes)) with
            | Ok first, Ok second -> Some (first = second && hash first = hash second)
            | _ -> None
        [ twice (fun b -> ClientHelloCodec.Parse b)
          twice (fun b -> ServerHelloCodec.Decode b)
          twice (fun b -> HelloRetryRequestCodec.Decode b)
          twice (fun b -> EncryptedExtensionsCodec.Decode b)
          twice (fun b -> CertificateRequestCodec.Decode b)
          twice (fun b -> CertificateCodec.Decode b)
          twice (fun b -> CertificateVerifyCodec.Decode b)
          twice (fun b -> FinishedCodec.Decode(b, max 0 (b.Length - 4)))
          twice (fun b -> NewSessionTicketCodec.Decode b) ]
        |> List.choose id
        |> List.forall id)
