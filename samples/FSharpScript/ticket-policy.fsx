// Tickets' ticket decisions from F#, on the pure core: no server, no sockets, no keys. Each step below is what a
// Tickets server does to its Context (≈ SSL_CTX) and Connection (≈ SSL) after a handshake, and what OpenSSL 3.0 would
// send. Build the core first (dotnet build Tickets.sln -c Release), then from the repository root:
//
//     dotnet fsi samples/FSharpScript/ticket-policy.fsx
//
// LanguageExt comes from NuGet; the core is the one this repository built.
#r "nuget: LanguageExt.Core, 4.4.9"
#r "../../core/Tickets.Core/bin/Release/net10.0/Tickets.Core.dll"

open Tickets.Core.Model
open Tickets.Core.Policy

// The core answers with LanguageExt's Fin; F# code reads it as a Result. (LanguageExt is not opened: its Some would
// shadow F#'s.)
let toResult (fin: LanguageExt.Fin<'a>) : Result<'a, string> =
    fin.Match((fun value -> Ok value), (fun (error: LanguageExt.Common.Error) -> Error error.Message))

let orFail fin =
    match toResult fin with
    | Ok value -> value
    | Error message -> failwith message

let noPeer = LanguageExt.Option<PeerIdentity>.None

/// Prints one decision: the event, how many tickets go out now, and the rule that chose the number.
let show (event: string) (decision: TicketDecision) =
    let nonces = decision.Tickets |> Seq.map (fun ticket -> string ticket.Nonce) |> String.concat ", "
    printfn "%-44s %d ticket(s) [nonces %s] - %s" event decision.Count nonces (decision.Reason.Describe())

// SSL_CTX_set_num_tickets(ctx, 3)
let context = Context.Default.SetNumTickets 3 |> orFail
printfn "Context: %d tickets per full handshake, lifetime %d s" (context.GetNumTickets()) context.TicketLifetimeSeconds

// Connection 1 (SSL_new copies the count), a full handshake: the count.
let first = Connection.Create context
let afterFull = TicketPolicy.Decide(context, first, HandshakeOutcome.FullHandshake(true)) |> orFail
show "connection 1, full handshake:" afterFull

// The application asks for two more on the same connection (SSL_new_session_ticket twice): nonces continue.
let extra = TicketPolicy.Decide(context, afterFull.Next, HandshakeOutcome.ExtraTicketsRequested(2)) |> orFail
show "connection 1, two extra tickets:" extra

// Connection 2 resumes one of those tickets: at most one, whatever the count.
let resumed = TicketPolicy.Decide(context, Connection.Create context, HandshakeOutcome.Resumption(true, noPeer)) |> orFail
show "connection 2, resumption:" resumed

// Connection 3 sets its own count to zero before its handshake (SSL_set_num_tickets(ssl, 0)): none.
let silent = Connection.Create context |> fun connection -> connection.SetNumTickets 0 |> orFail
let none = TicketPolicy.Decide(context, silent, HandshakeOutcome.FullHandshake(true)) |> orFail
show "connection 3, count 0, full handshake:" none

// A second handshake on connection 1 is a bug in the caller; the core refuses it with a typed error.
match TicketPolicy.Decide(context, afterFull.Next, HandshakeOutcome.FullHandshake(true)) |> toResult with
| Ok _ -> printfn "connection 1, second handshake: accepted (unexpected)"
| Error message -> printfn "connection 1, second handshake: refused - %s" message

// A negative count is refused too, and the context stays as it was.
match context.SetNumTickets -1 |> toResult with
| Ok _ -> printfn "SetNumTickets -1: accepted (unexpected)"
| Error message -> printfn "SetNumTickets -1: refused - %s (still %d)" message (context.GetNumTickets())
