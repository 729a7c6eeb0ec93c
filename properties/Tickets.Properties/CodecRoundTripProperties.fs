/// Every codec round-trips: decoding an encoding gives back what was encoded, and re-encoding what was decoded gives
/// back the same bytes. The C# records hold byte arrays and lists, which compare by reference, so each message is
/// reduced to an F# view (tuples of arrays and lists) that compares by content; records made only of values are
/// compared directly.
[<Xunit.Trait("Category", "Unit")>]
module Tickets.Properties.CodecRoundTripProperties

open FsCheck
open FsCheck.FSharp
open FsCheck.Xunit
open Tickets.Core.Protocol
open Tickets.FSharp
open Tickets.Properties.ProtocolGenerators

/// The decoded value, or None with the failure kept out of the way: a round trip either works or it does not.
let private decoded (fin: LanguageExt.Fin<'a>) : 'a option =
    match Fin.toResult fin with
    | Ok value -> Some value
    | Result.Error _ -> None

let private extensionsView (extensions: seq<Extension>) : (ExtensionType * byte[]) list =
    extensions |> Seq.map (fun extension -> extension.Type, extension.Data) |> List.ofSeq

/// decode (encode x) = x seen through `view`, and encode (decode (encode x)) = encode x.
let private roundTrips
    (encode: 'm -> byte[])
    (decode: byte[] -> LanguageExt.Fin<'m>)
    (view: 'm -> 'v)
    (message: 'm)
    : Property =
    let bytes = encode message
    match decoded (decode bytes) with
    | Some back ->
        (view back = view message |> Prop.label "decoded value differs")
        .&. (encode back = bytes |> Prop.label "re-encoding differs")
    | None -> false |> Prop.label (sprintf "own encoding rejected: %s" (DecodeOutcome.hex bytes))

let private helloView (hello: ClientHello) =
    hello.LegacyVersion,
    hello.Random,
    hello.LegacySessionId,
    List.ofSeq hello.CipherSuites,
    hello.CompressionMethods,
    extensionsView hello.Extensions

let private orEmpty (values: 'a list option) = Option.defaultValue [] values

/// What the decoder interpreted, in the offer's own terms; lists the hello omitted read as empty, as documented.
let private interpreted (hello: ClientHello) =
    List.ofSeq hello.SupportedVersions,
    (hello.KeyShares |> Seq.map (fun share -> share.Group, share.KeyExchange) |> List.ofSeq),
    List.ofSeq hello.SupportedGroups,
    List.ofSeq hello.SignatureAlgorithms,
    List.ofSeq hello.SignatureAlgorithmsCert,
    Option.ofLanguageExt hello.ServerName,
    List.ofSeq hello.Alpn,
    (Option.ofLanguageExt hello.PskKeyExchangeModes |> Option.map (Seq.map byte >> List.ofSeq)),
    (Option.ofLanguageExt hello.PreSharedKey
     |> Option.map (fun psk ->
         (psk.Identities |> Seq.map (fun identity -> identity.Identity, identity.ObfuscatedTicketAge) |> List.ofSeq),
         List.ofSeq psk.Binders)),
    hello.PostHandshakeAuth,
    hello.EarlyData,
    Option.ofLanguageExt hello.Cookie,
    (Option.ofLanguageExt hello.TicketRequest |> Option.map (fun request -> request.NewSessionCount, request.ResumptionCount))

let private offered (offer: HelloOffer) =
    orEmpty offer.Versions,
    orEmpty offer.KeyShares,
    orEmpty offer.Groups,
    orEmpty offer.SignatureAlgorithms,
    orEmpty offer.SignatureAlgorithmsCert,
    offer.ServerName,
    orEmpty offer.Alpn,
    offer.PskModes,
    offer.Psk,
    offer.PostHandshakeAuth,
    offer.EarlyData,
    offer.Cookie,
    offer.TicketRequest

/// The binders are the last thing in a hello that offers a PSK: a 2-byte list length, then (length, binder) pairs.
/// BindersOffset must point exactly at that length, or the binder would be computed over the wrong transcript.
let private bindersOffsetIsRight (bytes: byte[]) (hello: ClientHello) : bool =
    match Option.ofLanguageExt hello.PreSharedKey with
    | None -> true
    | Some psk ->
        let listLength = psk.Binders |> Seq.sumBy (fun binder -> 1 + binder.Length)
        let offset = psk.BindersOffset
        offset + 2 + listLength = bytes.Length
        && (int bytes[offset] <<< 8 ||| int bytes[offset + 1]) = listLength

[<Property(MaxTest = 300)>]
let ``ClientHello: decode (encode x) = x, every interpreted extension reads back, the binders offset is exact`` () =
    Prop.forAll (Arb.fromGen clientHello) (fun generated ->
        let bytes = ClientHelloCodec.Encode generated.Hello
        match decoded (ClientHelloCodec.Parse bytes) with
        | Some hello ->
            (helloView hello = helloView generated.Hello |> Prop.label "raw fields differ")
            .&. (interpreted hello = offered generated.Offer |> Prop.label "interpreted extensions differ")
            .&. (bindersOffsetIsRight bytes hello |> Prop.label "BindersOffset wrong")
            .&. (ClientHelloCodec.Encode hello = bytes |> Prop.label "re-encoding differs")
        | None -> false |> Prop.label (sprintf "own encoding rejected: %s" (DecodeOutcome.hex bytes)))

[<Property(MaxTest = 40)>]
let ``ClientHello: every real client's hello re-encodes to exactly the bytes it sent`` () =
    Prop.forAll (Arb.fromGen (Gen.elements (ClientHelloFixtures.names ()))) (fun name ->
        let bytes = ClientHelloFixtures.message name
        match decoded (ClientHelloCodec.Parse bytes) with
        | Some hello -> ClientHelloCodec.Encode hello = bytes |> Prop.label name
        | None -> false |> Prop.label (name + " rejected"))

[<Property>]
let ``ServerHello round-trips`` () =
    Prop.forAll (Arb.fromGen serverHello) (
        roundTrips ServerHelloCodec.Encode (fun bytes -> ServerHelloCodec.Decode bytes) (fun hello ->
            hello.Random,
            hello.LegacySessionIdEcho,
            hello.CipherSuite,
            (Option.ofLanguageExt hello.KeyShare |> Option.map (fun share -> share.Group, share.KeyExchange)),
            Option.ofLanguageExt hello.SelectedPskIdentity))

[<Property>]
let ``HelloRetryRequest round-trips and is recognised as one`` () =
    Prop.forAll (Arb.fromGen helloRetryRequest) (fun request ->
        let bytes = HelloRetryRequestCodec.Encode request
        roundTrips HelloRetryRequestCodec.Encode (fun bytes -> HelloRetryRequestCodec.Decode bytes) (fun retry ->
            retry.LegacySessionIdEcho, retry.CipherSuite, retry.SelectedGroup, Option.ofLanguageExt retry.Cookie) request
        .&. (ServerHelloCodec.IsHelloRetryRequest bytes |> Prop.label "not recognised as a HelloRetryRequest"))

[<Property>]
let ``EncryptedExtensions round-trips (a record of values: compared directly)`` () =
    Prop.forAll (Arb.fromGen encryptedExtensions) (
        roundTrips EncryptedExtensionsCodec.Encode (fun bytes -> EncryptedExtensionsCodec.Decode bytes) id)

[<Property>]
let ``CertificateRequest round-trips`` () =
    Prop.forAll (Arb.fromGen certificateRequest) (
        roundTrips CertificateRequestCodec.Encode (fun bytes -> CertificateRequestCodec.Decode bytes) (fun request ->
            request.Context, List.ofSeq request.SignatureAlgorithms))

[<Property>]
let ``Certificate round-trips`` () =
    Prop.forAll (Arb.fromGen certificate) (
        roundTrips CertificateCodec.Encode (fun bytes -> CertificateCodec.Decode bytes) (fun message ->
            message.RequestContext, List.ofSeq message.Certificates))

[<Property>]
let ``CertificateVerify round-trips`` () =
    Prop.forAll (Arb.fromGen certificateVerify) (
        roundTrips CertificateVerifyCodec.Encode (fun bytes -> CertificateVerifyCodec.Decode bytes) (fun verify ->
            verify.Scheme, verify.Signature))

[<Property>]
let ``Finished round-trips when the decoder is told the hash length`` () =
    Prop.forAll (Arb.fromGen finished) (fun message ->
        roundTrips FinishedCodec.Encode (fun bytes -> FinishedCodec.Decode(bytes, message.VerifyData.Length)) (fun f ->
            f.VerifyData) message)

[<Property>]
let ``NewSessionTicket round-trips, extensions in order`` () =
    Prop.forAll (Arb.fromGen newSessionTicket) (
        roundTrips NewSessionTicketCodec.Encode (fun bytes -> NewSessionTicketCodec.Decode bytes) (fun ticket ->
            ticket.LifetimeSeconds, ticket.AgeAdd, ticket.Nonce, ticket.Ticket, extensionsView ticket.Extensions))

[<Property>]
let ``NewSessionTicket written into a flight buffer is byte for byte the encoded message`` () =
    let withoutExtensions =
        newSessionTicket |> Gen.map (fun t -> NewSessionTicket(t.LifetimeSeconds, t.AgeAdd, t.Nonce, t.Ticket, [||]))
    Prop.forAll (Arb.fromGen (Gen.zip withoutExtensions withoutExtensions)) (fun (first, second) ->
        // Two messages into one buffer, as a flight is built: each lands whole and in order.
        let flight = System.Buffers.ArrayBufferWriter<byte>(1)
        for t in [ first; second ] do
            NewSessionTicketCodec.EncodeTo(flight, t.LifetimeSeconds, t.AgeAdd, System.ReadOnlySpan t.Nonce, System.ReadOnlySpan t.Ticket)
        flight.WrittenSpan.ToArray() = Array.append (NewSessionTicketCodec.Encode first) (NewSessionTicketCodec.Encode second))

[<Property>]
let ``KeyUpdate round-trips`` () =
    Prop.forAll (Arb.fromGen keyUpdate) (
        roundTrips KeyUpdateCodec.Encode (fun bytes -> KeyUpdateCodec.Decode bytes) id)

[<Property>]
let ``alerts round-trip, any level and description bytes`` () =
    Prop.forAll (Arb.fromGen alert) (roundTrips AlertCodec.Encode (fun bytes -> AlertCodec.Decode bytes) id)

[<Property>]
let ``record headers round-trip under the limit that applies`` () =
    Prop.forAll (Arb.fromGen recordHeader) (fun (header, protectedRecord) ->
        roundTrips (fun (h: RecordHeader) -> h.ToArray()) (fun bytes -> RecordHeader.Parse(bytes, protectedRecord)) id header)
