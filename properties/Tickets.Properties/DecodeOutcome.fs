/// What a decoder did with some bytes, as an F# union the robustness properties can match on. A decoder may only
/// ever produce a value or a typed alert; the other two cases exist so a property can name what went wrong
/// instead of letting an exception end the run without saying which input caused it.
module Tickets.Properties.DecodeOutcome

open Tickets.Core.Protocol
open Tickets.FSharp

type Outcome<'a> =
    | Value of 'a
    | Alert of AlertDescription
    /// A failure that is not an AlertError: the engine could only answer it with internal_error.
    | Untyped of message: string
    | Threw of exn

/// Runs a decoder and classifies what came back, catching what must never escape.
let decode (decoder: unit -> LanguageExt.Fin<'a>) : Outcome<'a> =
    try
        match Fin.toResult (decoder ()) with
        | Ok value -> Value value
        | Result.Error (:? AlertError as alert) -> Alert alert.Alert
        | Result.Error other -> Untyped other.Message
    with error ->
        Threw error

/// The same outcome with the value forgotten, for properties that only care whether decoding was total.
let shape (outcome: Outcome<'a>) : Outcome<unit> =
    match outcome with
    | Value _ -> Value ()
    | Alert alert -> Alert alert
    | Untyped message -> Untyped message
    | Threw error -> Threw error

/// True when the decoder kept its promise: a value or a typed alert.
let isTotal (outcome: Outcome<'a>) : bool =
    match outcome with
    | Value _
    | Alert _ -> true
    | Untyped _
    | Threw _ -> false

/// A short description for property labels.
let describe (outcome: Outcome<'a>) : string =
    match outcome with
    | Value _ -> "value"
    | Alert alert -> sprintf "alert %A" alert
    | Untyped message -> sprintf "untyped failure: %s" message
    | Threw error -> sprintf "threw %s: %s" (error.GetType().Name) error.Message

/// Lower-case hex, so failing inputs can be pasted into a C# regression test.
let hex (bytes: byte[]) : string = System.Convert.ToHexString(bytes).ToLowerInvariant()
