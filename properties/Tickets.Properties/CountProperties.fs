/// Rules 1 and 2: how counts are set, read and copied.
[<Xunit.Trait("Category", "Unit")>]
module Tickets.Properties.CountProperties

open FsCheck
open FsCheck.FSharp
open FsCheck.Xunit
open Tickets.Core.Model
open Tickets.FSharp

[<Property>]
let ``rule 1: a fresh context and connection both report 2`` () =
    Context.Default.GetNumTickets() = 2
    && Context() = Context.Default
    && (Connection.Create Context.Default).GetNumTickets() = 2
    && Connection() = Connection.Create Context.Default

[<Property>]
let ``rule 1: the getters return the last non-negative count set, with no cap`` (counts: int list) =
    let setContext (context: Context) count =
        match Context.withNumTickets count context with
        | Ok next -> next
        | Result.Error _ -> context
    let lastAccepted = counts |> List.filter (fun count -> count >= 0) |> List.tryLast |> Option.defaultValue 2
    let context = counts |> List.fold setContext Context.Default
    let connection =
        counts
        |> List.fold
            (fun (connection: Connection) count ->
                match Connection.withNumTickets count connection with
                | Ok next -> next
                | Result.Error _ -> connection)
            (Connection.Create Context.Default)
    context.GetNumTickets() = lastAccepted && connection.GetNumTickets() = lastAccepted

[<Property>]
let ``rule 1: a negative count fails with NegativeCount and leaves the old value`` (NonNegativeInt previous) (NegativeInt count) =
    let context =
        match Context.create () |> Context.withNumTickets previous with
        | Ok context -> context
        | Result.Error _ -> failwith "a non-negative count must be accepted"
    let connection = Connection.Create context
    let contextResult = Context.withNumTickets count context
    let connectionResult = Connection.withNumTickets count connection
    contextResult = Result.Error TicketErrors.NegativeCount
    && connectionResult = Result.Error TicketErrors.NegativeCount
    && context.GetNumTickets() = previous
    && connection.GetNumTickets() = previous
