namespace Tickets.FSharp

open Tickets.Core.Model
open Tickets.Core.Protocol

/// Functions over the core's <c>TicketError</c>, the one error type of ticket operations.
[<RequireQualifiedAccess>]
module TicketError =

    /// <summary>Which rule refused the operation.</summary>
    /// <param name="error">The refusal.</param>
    let kind (error: TicketError) : TicketErrorKind = error.Kind

    /// <summary>The sentence describing the refusal.</summary>
    /// <param name="error">The refusal.</param>
    let message (error: TicketError) : string = error.Message

    /// <summary>
    /// A <c>Fin</c> from a ticket operation as a <c>Result</c> carrying the <c>TicketError</c>. Ticket operations fail
    /// only with a <c>TicketError</c>; any other error is a bug in the core and is raised as its exception rather than
    /// passed on as if it were a refusal.
    /// </summary>
    /// <param name="fin">The result of a ticket operation of the core.</param>
    let ofFin (fin: LanguageExt.Fin<'a>) : Result<'a, TicketError> =
        match Fin.toResult fin with
        | Ok value -> Ok value
        | Error (:? TicketError as refusal) -> Error refusal
        | Error other -> raise (other.ToException())

/// Active patterns over the errors a <c>Fin</c> of the core can carry.
[<AutoOpen>]
module ErrorPatterns =

    /// <summary>
    /// Classifies a core error: <c>TicketFailure</c> for a refused ticket operation (with its <c>TicketError</c>),
    /// <c>AlertFailure</c> for bytes a codec refused (with the TLS alert a server answers them with), and
    /// <c>OtherFailure</c> for anything else (a bug: the engine would answer internal_error).
    /// </summary>
    /// <param name="error">An error from <c>Fin.toResult</c>.</param>
    let (|TicketFailure|AlertFailure|OtherFailure|) (error: LanguageExt.Common.Error) =
        match error with
        | :? TicketError as refusal -> TicketFailure refusal
        | :? AlertError as alert -> AlertFailure alert.Alert
        | other -> OtherFailure other
