namespace Tickets.FSharp

open System
open System.Net
open System.Net.Security
open System.Threading
open System.Threading.Tasks
open Tickets
open Tickets.Core.Model
open Tickets.Core.Policy
open Tickets.Core.Protocol

/// Why a handshake did not complete. By the time it is returned the connection is closed.
[<RequireQualifiedAccess>]
type HandshakeError =
    /// <summary>
    /// A TLS alert ended the handshake: the one we sent because the client's messages were refused, or (when
    /// <c>sentByPeer</c>) the client's own, or a transport that broke (internal_error, sent by the peer).
    /// </summary>
    | Alert of alert: AlertDescription * sentByPeer: bool * message: string
    /// The handshake took longer than the connection's handshake timeout.
    | TimedOut of message: string
    /// The cancellation token given to the handshake fired.
    | Cancelled

/// How the session of a completed handshake was established.
[<RequireQualifiedAccess>]
type SessionKind =
    /// A full handshake: a new session, with the connection's ticket count after it.
    | New
    /// A ticket was resumed: at most one ticket follows.
    | Resumed
    /// An external PSK (<c>s_server -psk</c>) was used; tickets follow as after a resumption.
    | ExternalPsk

/// What a completed handshake negotiated, as F# values.
type HandshakeSummary =
    { /// <summary>New session, resumed ticket or external PSK.</summary>
      Kind: SessionKind
      /// <summary>The negotiated TLS 1.3 cipher suite.</summary>
      CipherSuite: TlsCipherSuite
      /// <summary>The ALPN protocol both sides agreed on, if any.</summary>
      ApplicationProtocol: SslApplicationProtocol option
      /// <summary>The server name the client asked for (SNI), if any.</summary>
      ServerName: string option
      /// <summary>The client's identity, if it authenticated (or the one its resumed session carries).</summary>
      Peer: PeerIdentity option
      /// <summary>
      /// The tickets issued so far, in order: right after the handshake, the flight the policy decided (which leaves with
      /// the connection's next write when the client's request has already arrived, and before any read waits).
      /// </summary>
      Tickets: IssuedTicket list
      /// <summary>The core's verdict on each offered identity, if the client offered any.</summary>
      Resumption: ResumptionDecision option }

/// <summary>
/// One server-side TLS connection (<c>TicketServerConnection</c>, OpenSSL's SSL) as functions returning
/// <c>Result</c> and <c>option</c>. The connection comes last, so the functions chain.
/// </summary>
[<RequireQualifiedAccess>]
module ServerConnection =

    /// <summary>What the handshake negotiated, once it completed; <c>None</c> before.</summary>
    /// <param name="connection">The connection to read.</param>
    let summary (connection: TicketServerConnection) : HandshakeSummary option =
        if not connection.IsHandshakeComplete then
            None
        else
            let kind =
                if connection.UsedExternalPsk then SessionKind.ExternalPsk
                elif connection.Resumed then SessionKind.Resumed
                else SessionKind.New
            let protocol = connection.NegotiatedApplicationProtocol
            Some
                { Kind = kind
                  CipherSuite = connection.NegotiatedCipherSuite
                  ApplicationProtocol = if protocol.Protocol.IsEmpty then None else Some protocol
                  ServerName = if String.IsNullOrEmpty connection.TargetHostName then None else Some connection.TargetHostName
                  Peer = Option.ofObj connection.PeerIdentity
                  Tickets = List.ofSeq connection.IssuedTickets
                  Resumption = Option.ofObj connection.Resumption }

    /// <summary>
    /// Runs the handshake and sends the tickets, within the connection's handshake timeout. A failure is returned, not
    /// thrown: the alert was sent (where one is due) and the connection closed. Starting a second handshake on one
    /// connection is a programming error and still throws <c>InvalidOperationException</c>.
    /// </summary>
    /// <param name="cancellationToken">Abandons the handshake (the result is then <c>HandshakeError.Cancelled</c>).</param>
    /// <param name="connection">A connection whose handshake has not started.</param>
    let handshake (cancellationToken: CancellationToken) (connection: TicketServerConnection) : Task<Result<HandshakeSummary, HandshakeError>> =
        task {
            try
                do! connection.HandshakeAsync cancellationToken
                // Just completed, so the summary exists.
                return Ok (summary connection |> Option.get)
            with
            | :? TlsHandshakeException as failed -> return Error (HandshakeError.Alert (failed.Alert, failed.SentByPeer, failed.Message))
            | :? TimeoutException as late -> return Error (HandshakeError.TimedOut late.Message)
            | :? OperationCanceledException -> return Error HandshakeError.Cancelled
        }

    /// <summary>SSL_get_num_tickets: this connection's count.</summary>
    /// <param name="connection">The connection to read.</param>
    let numTickets (connection: TicketServerConnection) : int = connection.GetNumTickets()

    /// <summary>
    /// SSL_set_num_tickets: this connection's count for tickets not yet decided (set it before the handshake, e.g. when
    /// the connection is accepted, to change the handshake's tickets). Negative is refused with
    /// <c>TicketErrors.NegativeCount</c> and changes nothing, as in the core.
    /// </summary>
    /// <param name="count">The count; zero sends none.</param>
    /// <param name="connection">The connection to change.</param>
    let setNumTickets (count: int) (connection: TicketServerConnection) : Result<unit, TicketError> =
        if count < 0 then
            Error TicketErrors.NegativeCount
        else
            connection.SetNumTickets count
            Ok ()

    /// <summary>Every ticket issued on this connection so far, in order.</summary>
    /// <param name="connection">The connection to read.</param>
    let issuedTickets (connection: TicketServerConnection) : IssuedTicket list = List.ofSeq connection.IssuedTickets

    /// <summary>The peer's address, when known.</summary>
    /// <param name="connection">The connection to read.</param>
    let remoteEndPoint (connection: TicketServerConnection) : EndPoint option = Option.ofObj connection.RemoteEndPoint

    /// <summary>The client's identity, if it authenticated.</summary>
    /// <param name="connection">The connection to read.</param>
    let peer (connection: TicketServerConnection) : PeerIdentity option = Option.ofObj connection.PeerIdentity

    /// <summary>
    /// SSL_new_session_ticket, <paramref name="count"/> times: tickets on top, in one write. Refused with
    /// <c>TicketErrors.NegativeExtraTicketCount</c> or <c>TicketErrors.ExtraTicketsBeforeHandshake</c> as the core refuses
    /// them; a broken transport still throws <c>IOException</c>.
    /// </summary>
    /// <param name="count">How many tickets.</param>
    /// <param name="cancellationToken">Abandons the write.</param>
    /// <param name="connection">A connection whose handshake completed.</param>
    let sendExtraTickets (count: int) (cancellationToken: CancellationToken) (connection: TicketServerConnection)
        : Task<Result<IssuedTicket list, TicketError>> =
        if count < 0 then
            Task.FromResult(Error TicketErrors.NegativeExtraTicketCount)
        elif not connection.IsHandshakeComplete then
            Task.FromResult(Error TicketErrors.ExtraTicketsBeforeHandshake)
        else
            task {
                let! issued = connection.SendExtraTicketsAsync(count, cancellationToken)
                return Ok (List.ofSeq issued)
            }

    /// <summary>The connection's application data as a <c>Stream</c>; disposing it sends close_notify.</summary>
    /// <param name="connection">A connection whose handshake completed.</param>
    let stream (connection: TicketServerConnection) : IO.Stream = connection.GetStream()

    /// <summary>Sends close_notify; the connection sends nothing more.</summary>
    /// <param name="connection">The connection to close.</param>
    let shutdown (connection: TicketServerConnection) : Task = connection.ShutdownAsync()

/// Active patterns over what a completed handshake established.
[<AutoOpen>]
module SessionPatterns =

    /// <summary>
    /// Splits handshake summaries by their session: <c>NewSession</c>, <c>ResumedSession</c> (with the index of the
    /// resumed identity, when the connection kept the decision) or <c>ExternalPskSession</c>.
    /// </summary>
    /// <param name="summary">A completed handshake.</param>
    let (|NewSession|ResumedSession|ExternalPskSession|) (summary: HandshakeSummary) =
        match summary.Kind with
        | SessionKind.New -> NewSession
        | SessionKind.Resumed -> ResumedSession (summary.Resumption |> Option.bind ResumptionDecision.chosen)
        | SessionKind.ExternalPsk -> ExternalPskSession
