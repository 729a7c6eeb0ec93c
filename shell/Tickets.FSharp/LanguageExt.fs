namespace Tickets.FSharp

// The core speaks LanguageExt (Fin<T>, Option<T>), which is the right language for C#; F# has its own Result and
// option. These two modules are the only bridge: everything else in the package is built on them. LanguageExt is never
// opened here, because its `Some` would shadow F#'s `Some` case.

/// Conversions between LanguageExt's <c>Fin&lt;T&gt;</c> (a value or an <c>Error</c>) and F#'s <c>Result</c>.
[<RequireQualifiedAccess>]
module Fin =

    /// <summary>A <c>Fin</c> as a <c>Result</c>: its value as <c>Ok</c>, its error, unchanged, as <c>Error</c>.</summary>
    /// <param name="fin">The value or error to convert.</param>
    let toResult (fin: LanguageExt.Fin<'a>) : Result<'a, LanguageExt.Common.Error> =
        fin.Match((fun value -> Ok value), (fun error -> Error error))

    /// <summary>A <c>Result</c> as a <c>Fin</c>, the inverse of <c>toResult</c>.</summary>
    /// <param name="result">The value or error to convert.</param>
    let ofResult (result: Result<'a, LanguageExt.Common.Error>) : LanguageExt.Fin<'a> =
        match result with
        | Ok value -> LanguageExt.Fin<'a>.Succ value
        | Error error -> LanguageExt.Fin<'a>.Fail error

    /// <summary>The value of a <c>Fin</c>, or <c>None</c> when it failed (the error is dropped).</summary>
    /// <param name="fin">The value or error to read.</param>
    let toOption (fin: LanguageExt.Fin<'a>) : 'a option =
        match toResult fin with
        | Ok value -> Some value
        | Error _ -> None

/// Conversions between LanguageExt's <c>Option&lt;T&gt;</c> and F#'s <c>option</c>. These add to FSharp.Core's
/// <c>Option</c> module: <c>Option.map</c> and the rest stay available beside them.
[<RequireQualifiedAccess>]
module Option =

    /// <summary>A LanguageExt option as an F# option.</summary>
    /// <remarks>
    /// Read as a sequence of zero or one element rather than through <c>Match</c>: F#'s <c>None</c> is null at run time
    /// and LanguageExt's <c>Match</c> refuses a null result.
    /// </remarks>
    /// <param name="value">The LanguageExt option to convert.</param>
    let ofLanguageExt (value: LanguageExt.Option<'a>) : 'a option = value.ToSeq() |> Seq.tryHead

    /// <summary>An F# option as a LanguageExt option, for the core's constructors and properties.</summary>
    /// <param name="value">The F# option to convert.</param>
    let toLanguageExt (value: 'a option) : LanguageExt.Option<'a> =
        match value with
        | Some inner -> LanguageExt.Option<'a>.Some inner
        | None -> LanguageExt.Option<'a>.None
