/// The F# usage sample quoted in the core's documentation, kept here so it always compiles and runs.
[<Xunit.Trait("Category", "Unit")>]
module Tickets.Properties.UsageSample

open FsCheck.Xunit
open Tickets.Core.Model
open Tickets.Core.Policy

// An F# caller matches Fin with Match and a Result, never reading a value it has not checked.
let private orFail (fin: LanguageExt.Fin<'a>) : 'a =
    match fin.Match((fun value -> Ok value), (fun (error: LanguageExt.Common.Error) -> Result.Error error.Message)) with
    | Ok value -> value
    | Result.Error message -> failwith message

[<Property>]
let ``usage: three tickets after a full handshake, one after a resumption`` () =
    // SSL_CTX_set_num_tickets(ctx, 3)
    let context = Context.Default.SetNumTickets 3 |> orFail

    // SSL_new, then the handshake completes without a PSK
    let full =
        TicketPolicy.Decide(context, Connection.Create context, HandshakeOutcome.FullHandshake(true)) |> orFail

    // a second connection resumes one of those tickets
    let resumed =
        TicketPolicy.Decide(context, Connection.Create context, HandshakeOutcome.Resumption(true, LanguageExt.Option<PeerIdentity>.None))
        |> orFail

    // the server asks for two more on the first connection (SSL_new_session_ticket twice)
    let extra =
        TicketPolicy.Decide(context, full.Next, HandshakeOutcome.ExtraTicketsRequested(2)) |> orFail

    // a second handshake on the same connection is refused with a typed error
    let refused =
        TicketPolicy.Decide(context, full.Next, HandshakeOutcome.FullHandshake(true))
            .Match((fun _ -> Result.Error "a second handshake was accepted"), (fun (error: LanguageExt.Common.Error) -> Ok error))

    let nonces = extra.Tickets |> Seq.map (fun ticket -> ticket.Nonce) |> List.ofSeq
    full.Count = 3
    && full.Reason = DecisionReason.FullHandshakeCount
    && resumed.Count = 1
    && resumed.Reason.Describe().StartsWith "The handshake resumed"
    && nonces = [ 3UL; 4UL ]
    && refused = Ok (TicketErrors.HandshakeAlreadyComplete :> LanguageExt.Common.Error)
