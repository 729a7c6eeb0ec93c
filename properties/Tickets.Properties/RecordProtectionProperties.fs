/// Protected records, damaged. AEAD authentication covers the header and every ciphertext byte, so a single flipped
/// bit anywhere must be caught as bad_record_mac; the one byte checked before authentication, the outer content
/// type, must instead be refused as unexpected_message (RFC 8446 §5: protected records always say
/// application_data). Either way a value comes back, never an exception.
[<Xunit.Trait("Category", "Unit")>]
module Tickets.Properties.RecordProtectionProperties

open FsCheck
open FsCheck.FSharp
open FsCheck.Xunit
open Tickets.Core.Protocol
open Tickets.Crypto
open Tickets.Properties.ProtocolGenerators

/// Everything needed to seal one record: which suite, under which secret, what content and how much padding.
type Sealing =
    { Suite: CipherSuiteParameters
      Secret: byte[]
      ContentType: ContentType
      Content: byte[]
      Padding: int }

let private sealing: Gen<Sealing> =
    gen {
        let! suite = Gen.elements (List.ofSeq CipherSuiteParameters.All)
        let! secret = bytesBetween suite.HashLength suite.HashLength
        let! contentType = Gen.elements [ ContentType.Handshake; ContentType.ApplicationData; ContentType.Alert ]
        let! content = Gen.frequency [ 3, bytesBetween 0 64; 1, bytesBetween 0 600 ]
        let! padding = Gen.frequency [ 3, Gen.constant 0; 1, Gen.choose (1, 40) ]
        return { Suite = suite; Secret = secret; ContentType = contentType; Content = content; Padding = padding }
    }

let private seal (s: Sealing) : byte[] =
    use sealer = RecordSealer.FromSecret(s.Suite, s.Secret)
    let record = Array.zeroCreate<byte> (RecordHeader.Size + s.Content.Length + 1 + s.Padding + CipherSuiteParameters.TagLength)
    let written = sealer.Seal(s.ContentType, System.ReadOnlySpan<byte> s.Content, System.Span<byte> record, s.Padding)
    Array.truncate written record

/// How opening went, as a value: the status, and the content when it opened.
type Opened =
    | Opened of ContentType * byte[]
    | Refused of RecordOpenStatus
    | Threw of exn

/// Opens a copy of the record with the given opener (the opener keeps its sequence number between calls).
let private openWith (opener: RecordOpener) (record: byte[]) : Opened =
    let copy = Array.copy record
    try
        let result = opener.OpenInPlace(System.Span<byte> copy)
        match result.Status with
        | RecordOpenStatus.Ok -> Opened(result.ContentType, copy[RecordHeader.Size .. RecordHeader.Size + result.Length - 1])
        | status -> Refused status
    with error ->
        Threw error

let private genuine (s: Sealing) = Opened(s.ContentType, s.Content)

[<Property(MaxTest = 300)>]
let ``any single bit flipped in a sealed record is refused, and the genuine record still opens afterwards`` () =
    let scenario =
        gen {
            let! s = sealing
            let length = RecordHeader.Size + s.Content.Length + 1 + s.Padding + CipherSuiteParameters.TagLength
            // The header is checked on its own path before authentication, so it gets a fair share of the flips.
            let! position = Gen.frequency [ 1, Gen.choose (0, RecordHeader.Size - 1); 3, Gen.choose (0, length - 1) ]
            let! bit = Gen.choose (0, 7)
            return s, position, bit
        }
    Prop.forAll (Arb.fromGen scenario) (fun (s, position, bit) ->
        let record = seal s
        let damaged = Array.copy record
        damaged[position] <- damaged[position] ^^^ (1uy <<< bit)
        let expected = if position = 0 then RecordOpenStatus.UnexpectedMessage else RecordOpenStatus.BadRecordMac
        use opener = RecordOpener.FromSecret(s.Suite, s.Secret)
        let first = openWith opener damaged
        // A refused record must not advance the sequence number, or one forged packet would desynchronise the keys.
        let second = openWith opener record
        (first = Refused expected |> Prop.label (sprintf "byte %d bit %d of %s: %A" position bit s.Suite.Name first))
        .&. (second = genuine s |> Prop.label (sprintf "genuine record after the damaged one: %A" second)))

[<Property(MaxTest = 200)>]
let ``a sealed record cut short anywhere is bad_record_mac, never an exception`` () =
    let scenario =
        gen {
            let! s = sealing
            let length = RecordHeader.Size + s.Content.Length + 1 + s.Padding + CipherSuiteParameters.TagLength
            let! kept = Gen.choose (0, length - 1)
            let! refit = Gen.elements [ true; false ]
            return s, kept, refit
        }
    Prop.forAll (Arb.fromGen scenario) (fun (s, kept, refit) ->
        let cut = Array.truncate kept (seal s)
        // With the header's length made to match the shorter record, only authentication can notice the loss.
        if refit && kept >= RecordHeader.Size then
            let payload = kept - RecordHeader.Size
            cut[3] <- byte (payload >>> 8)
            cut[4] <- byte payload
        use opener = RecordOpener.FromSecret(s.Suite, s.Secret)
        let outcome = openWith opener cut
        outcome = Refused RecordOpenStatus.BadRecordMac
        |> Prop.label (sprintf "%s cut to %d of %d bytes: %A" s.Suite.Name kept (seal s).Length outcome))
