/// Bridges between LanguageExt's Fin/Option and F#'s Result/option, so the properties match results exhaustively
/// with `match` instead of testing flags. LanguageExt is deliberately not opened here: its `Some` type would shadow
/// F#'s `Some` case.
module Tickets.Properties.Interop

open Tickets.Core.Model

/// A Fin as an F# Result; a failure that is not a TicketError keeps its code so a mismatch is still visible.
let toResult (fin: LanguageExt.Fin<'a>) : Result<'a, LanguageExt.Common.Error> =
    fin.Match((fun value -> Ok value), (fun error -> Result.Error error))

/// The ticket error kind of a failure, or None when the failure came from somewhere else.
let errorKind (error: LanguageExt.Common.Error) : TicketErrorKind option =
    match error with
    | :? TicketError as ticketError -> Some ticketError.Kind
    | _ -> None

/// A Fin reduced to its success value or its ticket error kind.
let outcomeOf (fin: LanguageExt.Fin<'a>) : Result<'a, TicketErrorKind option> =
    match toResult fin with
    | Ok value -> Ok value
    | Result.Error error -> Result.Error (errorKind error)

/// A LanguageExt option as an F# option.
let toOption (value: LanguageExt.Option<'a>) : 'a option =
    value.Match((fun inner -> Some inner), (fun () -> None))

/// An F# option as a LanguageExt option, for building outcomes.
let ofOption (value: 'a option) : LanguageExt.Option<'a> =
    match value with
    | Some inner -> LanguageExt.Option<'a>.Some inner
    | None -> LanguageExt.Option<'a>.None
