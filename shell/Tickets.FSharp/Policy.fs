namespace Tickets.FSharp

open Tickets.Core.Model
open Tickets.Core.Policy

/// Reads the core's <c>TicketDecision</c>: the tickets to send now, the next connection state, and why.
[<RequireQualifiedAccess>]
module TicketDecision =

    /// <summary>How many tickets to send now.</summary>
    /// <param name="decision">The decision to read.</param>
    let count (decision: TicketDecision) : int = decision.Count

    /// <summary>The tickets to send now, in nonce order.</summary>
    /// <param name="decision">The decision to read.</param>
    let tickets (decision: TicketDecision) : TicketToIssue list = List.ofSeq decision.Tickets

    /// <summary>The connection state that replaces the one the decision was made on.</summary>
    /// <param name="decision">The decision to read.</param>
    let next (decision: TicketDecision) : Connection = decision.Next

    /// <summary>The rule that chose the count; match it with the <c>Issued…</c>/<c>Withheld…</c> patterns.</summary>
    /// <param name="decision">The decision to read.</param>
    let reason (decision: TicketDecision) : DecisionReason = decision.Reason

    /// <summary>The client identity every ticket of this flight carries.</summary>
    /// <param name="decision">The decision to read.</param>
    let peer (decision: TicketDecision) : PeerIdentity option = Option.ofLanguageExt decision.Peer

    /// <summary>Every ticket's lifetime, already clamped to seven days.</summary>
    /// <param name="decision">The decision to read.</param>
    let lifetimeSeconds (decision: TicketDecision) : uint32 = decision.LifetimeSeconds

/// <summary>
/// The core's ticket decision (how many tickets after an event, and the next connection state) as functions returning
/// <c>Result</c>.
/// </summary>
[<RequireQualifiedAccess>]
module TicketPolicy =

    /// <summary>
    /// Decides the tickets for one event on one connection: OpenSSL 3.0's rules (count after a full handshake, at most one
    /// after a resumption, the count again after each post-handshake authentication, extras on request). Events out of
    /// order are refused with a <c>TicketError</c> (e.g. <c>TicketErrors.HandshakeAlreadyComplete</c>).
    /// </summary>
    /// <param name="context">The server's settings.</param>
    /// <param name="connection">The connection's state before the event.</param>
    /// <param name="outcome">What just happened (see the <c>HandshakeOutcome</c> module).</param>
    let decide (context: Context) (connection: Connection) (outcome: HandshakeOutcome) : Result<TicketDecision, TicketError> =
        TicketPolicy.Decide(context, connection, outcome) |> TicketError.ofFin

    /// <summary>How many tickets <c>decide</c> would issue for the event, without deciding.</summary>
    /// <param name="context">The server's settings.</param>
    /// <param name="connection">The connection's state before the event.</param>
    /// <param name="outcome">The event.</param>
    let expectedTicketCount (context: Context) (connection: Connection) (outcome: HandshakeOutcome) : Result<int, TicketError> =
        TicketPolicy.ExpectedTicketCount(context, connection, outcome) |> TicketError.ofFin

    /// <summary>
    /// Decides a sequence of events on one connection the way a server does: each decision's next state is the state the
    /// next event is decided on. Returns every decision in order, or the first refusal.
    /// </summary>
    /// <param name="context">The server's settings.</param>
    /// <param name="connection">The connection's state before the first event.</param>
    /// <param name="outcomes">The events, in order.</param>
    let decideAll (context: Context) (connection: Connection) (outcomes: HandshakeOutcome list) : Result<TicketDecision list, TicketError> =
        let rec go connection decided outcomes =
            match outcomes with
            | [] -> Ok (List.rev decided)
            | outcome :: rest ->
                match decide context connection outcome with
                | Ok decision -> go decision.Next (decision :: decided) rest
                | Error refusal -> Error refusal
        go connection [] outcomes

/// Active patterns over the reasons of ticket decisions.
[<AutoOpen>]
module DecisionReasonPatterns =

    /// <summary>
    /// Why a decision issued what it did, grouped by what the rule means:
    /// <c>IssuedCount afterAuthentication</c> (the connection's count, after the handshake or again after a post-handshake
    /// authentication), <c>IssuedAtMostOne afterAuthentication</c> (a resumed connection's single ticket),
    /// <c>IssuedAsRequested</c> (the client's RFC 9149 ticket_request, capped), <c>IssuedExtra</c> (the application asked),
    /// <c>WithheldCountZero</c> (the count is zero) and <c>WithheldStrictPskModes</c> (strict mode, and the client sent no
    /// psk_key_exchange_modes).
    /// </summary>
    /// <param name="reason">The reason of a decision.</param>
    /// <exception cref="T:System.ArgumentOutOfRangeException">The value is none of the enum's named cases.</exception>
    let (|IssuedCount|IssuedAtMostOne|IssuedAsRequested|IssuedExtra|WithheldCountZero|WithheldStrictPskModes|) (reason: DecisionReason) =
        match reason with
        | DecisionReason.FullHandshakeCount -> IssuedCount false
        | DecisionReason.PostHandshakeAuthRestart -> IssuedCount true
        | DecisionReason.ResumedAtMostOne -> IssuedAtMostOne false
        | DecisionReason.PostHandshakeAuthResumedAtMostOne -> IssuedAtMostOne true
        | DecisionReason.TicketRequestHonoured -> IssuedAsRequested
        | DecisionReason.ExtraTicketsRequested -> IssuedExtra
        | DecisionReason.CountZero -> WithheldCountZero
        | DecisionReason.StrictPskModesNone -> WithheldStrictPskModes
        | other -> raise (System.ArgumentOutOfRangeException(nameof reason, other, "not a decision reason the core knows"))
