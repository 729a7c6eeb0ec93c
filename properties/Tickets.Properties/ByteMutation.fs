/// Random damage to a byte string, as generators. Shared by the decoder-totality properties and the ClientHello
/// mutation properties, so both explore the same kinds of corruption.
module Tickets.Properties.ByteMutation

open FsCheck
open FsCheck.FSharp
open Tickets.Properties.ProtocolGenerators

/// One edit; positions are already reduced to the input's length when the edit is generated.
type Edit =
    | FlipBit of position: int * bit: int
    | Overwrite of position: int * value: byte
    | Delete of position: int
    | Insert of position: int * value: byte
    | Truncate of length: int

let private edit (length: int) : Gen<Edit> =
    if length = 0 then
        octet |> Gen.map (fun value -> Insert(0, value))
    else
        let position = Gen.choose (0, length - 1)
        Gen.frequency
            [ 4, Gen.map2 (fun p b -> FlipBit(p, b)) position (Gen.choose (0, 7))
              2, Gen.map2 (fun p v -> Overwrite(p, v)) position octet
              1, position |> Gen.map Delete
              1, Gen.map2 (fun p v -> Insert(p, v)) (Gen.choose (0, length)) octet
              1, Gen.choose (0, length - 1) |> Gen.map Truncate ]

let apply (bytes: byte[]) (change: Edit) : byte[] =
    match change with
    | FlipBit (position, bit) ->
        let copy = Array.copy bytes
        copy[position] <- copy[position] ^^^ (1uy <<< bit)
        copy
    | Overwrite (position, value) -> Array.updateAt position value bytes
    | Delete position -> Array.removeAt position bytes
    | Insert (position, value) -> Array.insertAt position value bytes
    | Truncate length -> Array.truncate length bytes

/// Makes the 24-bit handshake length agree with the bytes again, so the damage is found by the inner length checks
/// rather than always by the outer framing check.
let refitHandshakeLength (bytes: byte[]) : byte[] =
    if bytes.Length < 4 then
        bytes
    else
        let copy = Array.copy bytes
        let bodyLength = bytes.Length - 4
        copy[1] <- byte (bodyLength >>> 16)
        copy[2] <- byte (bodyLength >>> 8)
        copy[3] <- byte bodyLength
        copy

let rec private editedTimes (times: int) (bytes: byte[]) : Gen<byte[]> =
    if times = 0 then
        Gen.constant bytes
    else
        gen {
            let! change = edit bytes.Length
            return! editedTimes (times - 1) (apply bytes change)
        }

/// One to three edits, with the handshake header refitted half the time.
let mutated (bytes: byte[]) : Gen<byte[]> =
    gen {
        let! count = Gen.choose (1, 3)
        let! damaged = editedTimes count bytes
        let! refit = Gen.elements [ true; false ]
        return if refit then refitHandshakeLength damaged else damaged
    }
