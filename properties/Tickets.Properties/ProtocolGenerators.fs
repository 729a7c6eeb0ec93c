/// Generators for every message the wire codecs handle. Values stay inside what each encoder accepts (an encoder
/// refusing its own input is not what these properties are about) but otherwise range freely, including code points
/// this server does not know: the codecs must carry those through untouched.
module Tickets.Properties.ProtocolGenerators

open FsCheck
open FsCheck.FSharp
open Tickets.Core
open Tickets.Core.Protocol
open Tickets.Properties.Interop

let octet: Gen<byte> = Gen.choose (0, 255) |> Gen.map byte

let bytesBetween (least: int) (most: int) : Gen<byte[]> =
    gen {
        let! length = Gen.choose (least, most)
        return! Gen.arrayOfLength length octet
    }

let uint16Value: Gen<uint16> = Gen.choose (0, 0xFFFF) |> Gen.map uint16

let uint32Value: Gen<uint32> = Gen.choose64 (0L, int64 System.UInt32.MaxValue) |> Gen.map uint32

/// Known values most of the time, so the interesting cases are common, but any 16-bit value now and then.
let private mostlyKnown (known: uint16 list) : Gen<uint16> =
    Gen.frequency [ 4, Gen.elements known; 1, uint16Value ]

let cipherSuite: Gen<CipherSuite> =
    mostlyKnown [ 0x1301us; 0x1302us; 0x1303us; 0xC02Fus; 0x0A0Aus ]
    |> Gen.map LanguagePrimitives.EnumOfValue<uint16, CipherSuite>

let namedGroup: Gen<NamedGroup> =
    mostlyKnown [ 0x001Dus; 0x0017us; 0x0018us; 0x11ECus; 0x2A2Aus ]
    |> Gen.map LanguagePrimitives.EnumOfValue<uint16, NamedGroup>

let signatureScheme: Gen<SignatureScheme> =
    mostlyKnown [ 0x0403us; 0x0503us; 0x0804us; 0x0805us; 0x0806us; 0x0807us ]
    |> Gen.map LanguagePrimitives.EnumOfValue<uint16, SignatureScheme>

/// Extension code points the ClientHello decoder interprets; anything else must be kept raw and ignored.
let interpretedExtensions: Set<uint16> =
    set [ 0us; 10us; 13us; 16us; 41us; 42us; 43us; 44us; 45us; 49us; 50us; 51us; 58us ]

/// Any run of <c>least</c> to <c>most</c> bytes, as the core's byte value.
let bytesOf (least: int) (most: int) : Gen<Bytes> = bytesBetween least most |> Gen.map Bytes

/// Extensions with distinct types; `allowed` filters the types so callers can keep interpreted ones out.
let distinctExtensions (allowed: uint16 -> bool) (most: int) : Gen<Extension list> =
    gen {
        let! count = Gen.choose (0, most)
        let! entries = Gen.listOfLength count (Gen.zip (uint16Value |> Gen.where allowed) (bytesOf 0 24))
        return
            entries
            |> List.distinctBy fst
            |> List.map (fun (code, data) -> Extension(LanguagePrimitives.EnumOfValue<uint16, ExtensionType> code, data))
    }

/// Host names are printable ASCII without spaces, the only form the decoder accepts.
let hostName: Gen<string> =
    gen {
        let! length = Gen.choose (1, 40)
        let! chars = Gen.arrayOfLength length (Gen.choose (0x21, 0x7E) |> Gen.map char)
        return System.String chars
    }

/// ALPN names are opaque bytes; the codec maps them to chars one to one through Latin-1.
let protocolName: Gen<string> =
    gen {
        let! length = Gen.choose (1, 12)
        let! chars = Gen.arrayOfLength length (Gen.choose (0, 255) |> Gen.map char)
        return System.String chars
    }

/// What a generated ClientHello offers, extension by extension (None: the extension is not sent).
type private HelloOffer =
    { Versions: uint16 list option
      KeyShares: KeyShareEntry list option
      Groups: NamedGroup list option
      SignatureAlgorithms: SignatureScheme list option
      SignatureAlgorithmsCert: SignatureScheme list option
      ServerName: string option
      Alpn: string list option
      PskModes: PskKeyExchangeMode list option
      Psk: (PskIdentity list * Bytes list) option
      PostHandshakeAuth: bool
      EarlyData: bool
      Cookie: Bytes option
      TicketRequest: TicketRequest option }

let private offer: Gen<HelloOffer> =
    gen {
        let! versions = Gen.optionOf (Gen.listOfLength 3 (mostlyKnown [ 0x0304us; 0x0303us; 0x7A7Aus ]))
        let! shareCount = Gen.choose (0, 3)
        let! shares = Gen.listOfLength shareCount (Gen.map2 (fun group key -> KeyShareEntry(group, key)) namedGroup (bytesOf 1 65))
        let! withShares = Gen.elements [ true; true; false ]
        let! groups = Gen.optionOf (Gen.nonEmptyListOf namedGroup)
        let! algorithms = Gen.optionOf (Gen.nonEmptyListOf signatureScheme)
        let! certAlgorithms = Gen.optionOf (Gen.nonEmptyListOf signatureScheme)
        let! serverName = Gen.optionOf hostName
        let! alpn = Gen.optionOf (Gen.nonEmptyListOf protocolName)
        let! modes =
            Gen.optionOf (Gen.nonEmptyListOf (Gen.elements [ 0uy; 1uy; 7uy ] |> Gen.map LanguagePrimitives.EnumOfValue<byte, PskKeyExchangeMode>))
        let! identityCount = Gen.choose (1, 3)
        let! identities = Gen.listOfLength identityCount (Gen.map2 (fun identity age -> PskIdentity(identity, age)) (bytesOf 1 40) uint32Value)
        let! binders = Gen.listOfLength identityCount (bytesOf 32 48)
        let! withPsk = Gen.elements [ true; false ]
        let! pha = Gen.elements [ true; false ]
        let! early = Gen.elements [ true; false ]
        let! cookie = Gen.optionOf (bytesOf 1 40)
        let! ticketRequest = Gen.optionOf (Gen.map2 (fun fresh resumed -> TicketRequest(fresh, resumed)) octet octet)
        return
            { Versions = versions
              // A key_share may not offer one group twice, so duplicates are dropped here.
              KeyShares = (if withShares then Some (shares |> List.distinctBy (fun share -> share.Group)) else None)
              Groups = groups
              SignatureAlgorithms = algorithms
              SignatureAlgorithmsCert = certAlgorithms
              ServerName = serverName
              Alpn = alpn
              PskModes = modes
              Psk = (if withPsk then Some (identities, binders) else None)
              PostHandshakeAuth = pha
              EarlyData = early
              Cookie = cookie
              TicketRequest = ticketRequest }
    }

/// The offer's extensions as the codec's extension-body builders lay them out.
let private offeredExtensions (offer: HelloOffer) : Extension list =
    let ext (code: ExtensionType) (data: Bytes) = Extension(code, data)
    [ offer.Versions |> Option.map (fun v -> ext ExtensionType.SupportedVersions (ExtensionBodies.SupportedVersionsOffered v))
      offer.KeyShares |> Option.map (fun shares -> ext ExtensionType.KeyShare (ExtensionBodies.KeyShareOffered shares))
      offer.Groups |> Option.map (fun g -> ext ExtensionType.SupportedGroups (ExtensionBodies.SupportedGroups g))
      offer.SignatureAlgorithms
      |> Option.map (fun s -> ext ExtensionType.SignatureAlgorithms (ExtensionBodies.SignatureAlgorithms s))
      offer.SignatureAlgorithmsCert
      |> Option.map (fun s -> ext ExtensionType.SignatureAlgorithmsCert (ExtensionBodies.SignatureAlgorithms s))
      offer.ServerName |> Option.map (fun n -> ext ExtensionType.ServerName (ExtensionBodies.ServerNameOffered n))
      offer.Alpn |> Option.map (fun a -> ext ExtensionType.ApplicationLayerProtocolNegotiation (ExtensionBodies.Alpn a))
      offer.PskModes |> Option.map (fun m -> ext ExtensionType.PskKeyExchangeModes (ExtensionBodies.PskKeyExchangeModes m))
      (if offer.PostHandshakeAuth then Some (ext ExtensionType.PostHandshakeAuth Bytes.Empty) else None)
      (if offer.EarlyData then Some (ext ExtensionType.EarlyData Bytes.Empty) else None)
      offer.Cookie |> Option.map (fun c -> ext ExtensionType.Cookie (ExtensionBodies.Cookie c.Span))
      offer.TicketRequest |> Option.map (fun r -> ext ExtensionType.TicketRequest (ExtensionBodies.TicketRequest r)) ]
    |> List.choose id

let private pskExtension (offer: HelloOffer) : Extension option =
    offer.Psk
    |> Option.map (fun (identities, binders) ->
        Extension(ExtensionType.PreSharedKey, ExtensionBodies.PreSharedKeyOffered(identities, binders)))

let private listOf (values: 'a list option) : EquatableArray<'a> =
    values |> Option.defaultValue [] |> EquatableArray.Of

/// A ClientHello with every field filled in as the decoder must read it: the raw fields and extensions (what the
/// encoder writes) and each interpreted extension (what the decoder must find), so `decode (encode x) = x` is the
/// whole check. Lists the offer omits read as empty, as ClientHello documents.
let clientHello: Gen<ClientHello> =
    gen {
        let! offer = offer
        let! unknown = distinctExtensions (fun code -> not (interpretedExtensions.Contains code)) 3
        // Any order is legal except that pre_shared_key must come last.
        let! shuffled = Gen.shuffle (offeredExtensions offer @ unknown)
        let extensions = List.ofArray shuffled @ Option.toList (pskExtension offer)
        let! legacyVersion = mostlyKnown [ 0x0303us ]
        let! random = bytesOf 32 32
        let! sessionId = bytesOf 0 32
        let! suites = Gen.nonEmptyListOf cipherSuite
        let! compression = bytesOf 1 3
        // The binders are the last thing in a hello that offers a PSK: a 2-byte list length, then (length, binder)
        // pairs. So they start that far from the end of the message, which is where the binder's truncated transcript
        // must stop. The message length is counted here field by field, apart from the codecs.
        let total =
            4 + 2 + random.Length + 1 + sessionId.Length + 2 + 2 * suites.Length + 1 + compression.Length + 2
            + (extensions |> List.sumBy (fun extension -> 4 + extension.Data.Length))
        let psk =
            offer.Psk
            |> Option.map (fun (identities, binders) ->
                let listLength = binders |> List.sumBy (fun binder -> 1 + binder.Length)
                OfferedPsks(EquatableArray.Of identities, EquatableArray.Of binders, total - 2 - listLength))
        return
            ClientHello(
                LegacyVersion = legacyVersion,
                Random = random,
                LegacySessionId = sessionId,
                CipherSuites = EquatableArray.Of suites,
                CompressionMethods = compression,
                Extensions = EquatableArray.Of extensions,
                SupportedVersions = listOf offer.Versions,
                KeyShares = listOf offer.KeyShares,
                SupportedGroups = listOf offer.Groups,
                SignatureAlgorithms = listOf offer.SignatureAlgorithms,
                SignatureAlgorithmsCert = listOf offer.SignatureAlgorithmsCert,
                ServerName = ofOption offer.ServerName,
                Alpn = listOf offer.Alpn,
                PskKeyExchangeModes = ofOption (offer.PskModes |> Option.map EquatableArray.Of),
                PreSharedKey = ofOption psk,
                PostHandshakeAuth = offer.PostHandshakeAuth,
                EarlyData = offer.EarlyData,
                Cookie = ofOption offer.Cookie,
                TicketRequest = ofOption offer.TicketRequest)
    }

let serverHello: Gen<ServerHello> =
    gen {
        let! random = bytesOf 32 32
        let! sessionId = bytesOf 0 32
        let! suite = cipherSuite
        let! group = namedGroup
        let! key = bytesOf 1 97
        let! psk = Gen.optionOf uint16Value
        // psk_ke: a ServerHello selecting a PSK may carry no share at all.
        let! share = if psk.IsSome then Gen.optionOf (Gen.constant (KeyShareEntry(group, key))) else Gen.constant (Some(KeyShareEntry(group, key)))
        return ServerHello(random, sessionId, suite, ofOption share, ofOption psk)
    }
    // The HelloRetryRequest random turns a ServerHello into the other message; it is its own generator.
    |> Gen.where (fun hello -> hello.Random <> Bytes HelloRetryRequest.SpecialRandom)

let helloRetryRequest: Gen<HelloRetryRequest> =
    gen {
        let! sessionId = bytesOf 0 32
        let! suite = cipherSuite
        let! group = namedGroup
        let! cookie = Gen.optionOf (bytesOf 1 64)
        return HelloRetryRequest(sessionId, suite, group, ofOption cookie)
    }

let encryptedExtensions: Gen<EncryptedExtensions> =
    gen {
        let! acknowledged = Gen.elements [ true; false ]
        let! protocol = Gen.optionOf protocolName
        let! expected = Gen.optionOf octet
        return EncryptedExtensions(acknowledged, ofOption protocol, ExpectedTicketCount = ofOption expected)
    }

let certificateRequest: Gen<CertificateRequest> =
    gen {
        let! context = bytesOf 0 32
        let! schemes = Gen.nonEmptyListOf signatureScheme
        return CertificateRequest(context, EquatableArray.Of schemes)
    }

let certificate: Gen<CertificateMessage> =
    gen {
        let! context = bytesOf 0 16
        let! count = Gen.choose (0, 4)
        let! certificates = Gen.listOfLength count (bytesOf 1 200)
        return CertificateMessage(context, EquatableArray.Of certificates)
    }

let certificateVerify: Gen<CertificateVerify> =
    gen {
        let! scheme = signatureScheme
        let! signature = bytesOf 0 300
        return CertificateVerify(scheme, signature)
    }

/// verify_data is as long as the suite's hash; other lengths still round-trip when the decoder is told the length.
let finished: Gen<Finished> =
    gen {
        let! length = Gen.frequency [ 4, Gen.elements [ 32; 48 ]; 1, Gen.choose (0, 80) ]
        let! data = bytesOf length length
        return Finished data
    }

let newSessionTicket: Gen<NewSessionTicket> =
    gen {
        let! lifetime = uint32Value
        let! ageAdd = uint32Value
        let! nonce = Gen.frequency [ 4, bytesOf 0 16; 1, bytesOf 0 255 ]
        let! ticket = bytesOf 1 300
        let! extensions = distinctExtensions (fun _ -> true) 3
        return NewSessionTicket(lifetime, ageAdd, nonce, ticket, EquatableArray.Of extensions)
    }

let keyUpdate: Gen<KeyUpdateRequest> =
    Gen.elements [ KeyUpdateRequest.UpdateNotRequested; KeyUpdateRequest.UpdateRequested ]

/// The alert codec carries both bytes opaquely, so any pair must survive, not only the defined values.
let alert: Gen<AlertMessage> =
    gen {
        let! level = octet
        let! description = octet
        return AlertMessage(LanguagePrimitives.EnumOfValue<byte, AlertLevel> level, LanguagePrimitives.EnumOfValue<byte, AlertDescription> description)
    }

/// A record header that must parse, with the flag saying which size limit applies.
let recordHeader: Gen<RecordHeader * bool> =
    gen {
        let! protectedRecord = Gen.elements [ true; false ]
        let limit = if protectedRecord then RecordHeader.MaxCiphertextLength else RecordHeader.MaxPlaintextLength
        let! contentType =
            Gen.elements [ ContentType.ChangeCipherSpec; ContentType.Alert; ContentType.Handshake; ContentType.ApplicationData ]
        let! version = mostlyKnown [ 0x0303us; 0x0301us ]
        let! length = Gen.frequency [ 3, Gen.choose (0, limit); 1, Gen.elements [ 0; limit ] ]
        return RecordHeader(contentType, version, length), protectedRecord
    }

/// Any valid handshake message, already encoded, header included.
let anyHandshakeMessage: Gen<byte[]> =
    Gen.oneof
        [ clientHello |> Gen.map ClientHelloCodec.Encode
          serverHello |> Gen.map ServerHelloCodec.Encode
          helloRetryRequest |> Gen.map HelloRetryRequestCodec.Encode
          encryptedExtensions |> Gen.map EncryptedExtensionsCodec.Encode
          certificateRequest |> Gen.map CertificateRequestCodec.Encode
          certificate |> Gen.map CertificateCodec.Encode
          certificateVerify |> Gen.map CertificateVerifyCodec.Encode
          finished |> Gen.map FinishedCodec.Encode
          newSessionTicket |> Gen.map NewSessionTicketCodec.Encode
          keyUpdate |> Gen.map KeyUpdateCodec.Encode ]
