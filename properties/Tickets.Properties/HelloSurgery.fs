/// Takes a well-formed ClientHello apart far enough to aim a mutation at one field, and puts it back together with
/// consistent lengths. Independent of ClientHelloCodec: if the codec misread a length, this must not share the
/// mistake, or the targeted-mutation properties would agree with it.
module Tickets.Properties.HelloSurgery

/// Where things sit in a ClientHello handshake message (offsets count from the 4-byte header's first byte).
type Layout =
    { /// Everything between the handshake header and the extensions block length: version to compression methods.
      Fixed: byte[]
      /// Offset of the 2-byte extensions block length.
      ExtensionsLengthAt: int
      /// Each extension: its type, body, and the offset of its 2-byte length field.
      Extensions: (uint16 * byte[] * int) list }

let private uint16At (bytes: byte[]) offset = (uint16 bytes[offset] <<< 8) ||| uint16 bytes[offset + 1]

/// Reads a ClientHello known to be well formed (a fixture); anything else is a bug in the test, so it fails loudly.
let layoutOf (message: byte[]) : Layout =
    let sessionIdAt = 4 + 2 + 32
    let suitesAt = sessionIdAt + 1 + int message[sessionIdAt]
    let compressionAt = suitesAt + 2 + int (uint16At message suitesAt)
    let extensionsLengthAt = compressionAt + 1 + int message[compressionAt]
    let blockEnd = extensionsLengthAt + 2 + int (uint16At message extensionsLengthAt)
    if blockEnd <> message.Length then failwith "not a well-formed ClientHello with an extensions block"
    let rec entries offset acc =
        if offset = blockEnd then
            List.rev acc
        else
            let length = int (uint16At message (offset + 2))
            entries (offset + 4 + length) ((uint16At message offset, message[offset + 4 .. offset + 3 + length], offset + 2) :: acc)
    { Fixed = message[4 .. extensionsLengthAt - 1]
      ExtensionsLengthAt = extensionsLengthAt
      Extensions = entries (extensionsLengthAt + 2) [] }

let private uint16Bytes (value: int) = [| byte (value >>> 8); byte value |]

/// A ClientHello with the same fixed fields and the given extensions, every length recomputed.
let rebuild (fixedFields: byte[]) (extensions: (uint16 * byte[]) list) : byte[] =
    let block =
        extensions
        |> List.map (fun (code, data) -> Array.concat [ uint16Bytes (int code); uint16Bytes data.Length; data ])
        |> Array.concat
    let body = Array.concat [ fixedFields; uint16Bytes block.Length; block ]
    Array.concat [ [| 1uy; byte (body.Length >>> 16); byte (body.Length >>> 8); byte body.Length |]; body ]

let extensionsOf (layout: Layout) : (uint16 * byte[]) list =
    layout.Extensions |> List.map (fun (code, data, _) -> code, data)

/// Adds delta to the big-endian length field of `width` bytes at `offset`, wrapping like the field would.
let nudgeLength (message: byte[]) (offset: int) (width: int) (delta: int) : byte[] =
    let copy = Array.copy message
    let current = Seq.fold (fun acc i -> (acc <<< 8) ||| int copy[offset + i]) 0 [ 0 .. width - 1 ]
    let modulus = 1 <<< (8 * width)
    let next = ((current + delta) % modulus + modulus) % modulus
    for i in 0 .. width - 1 do
        copy[offset + i] <- byte (next >>> (8 * (width - 1 - i)))
    copy

let supportedVersionsCode = 43us
let preSharedKeyCode = 41us
