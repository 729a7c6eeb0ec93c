namespace Tickets.FSharp

open System
open System.Net
open System.Net.Sockets
open System.Threading
open System.Threading.Tasks
open Tickets

/// Why a server could not be created or started.
[<RequireQualifiedAccess>]
type ServerError =
    /// <summary>The options were refused when validated (the message names the option at fault).</summary>
    | InvalidOptions of message: string
    /// <summary>The endpoint could not be listened on (in use, not ours).</summary>
    | CannotListen of error: SocketError * message: string

/// Functions for the connection a server just accepted, before its handshake (<c>TicketConnectionAcceptedContext</c>).
[<RequireQualifiedAccess>]
module Accepted =

    /// <summary>The accepted connection, handshake not started: set its count with <c>ServerConnection.setNumTickets</c>.</summary>
    /// <param name="accepted">What the server passed to the callback.</param>
    let connection (accepted: TicketConnectionAcceptedContext) : TicketServerConnection = accepted.Connection

    /// <summary>Closes the connection before any TLS byte, with a reason for the log (escape anything a peer chose).</summary>
    /// <param name="reason">Why, for the log.</param>
    /// <param name="accepted">What the server passed to the callback.</param>
    let refuse (reason: string) (accepted: TicketConnectionAcceptedContext) : unit = accepted.Refuse reason

    /// <summary>Why the connection will be closed without a handshake, if it will be.</summary>
    /// <param name="accepted">What the server passed to the callback.</param>
    let refusal (accepted: TicketConnectionAcceptedContext) : string option = Option.ofObj accepted.RefusalReason

/// <summary>
/// A <c>TicketServer</c> from F#: created with <c>Result</c> rather than exceptions, started with a handler written as
/// a <c>task</c> or an <c>async</c>, stopped with a task.
/// </summary>
[<RequireQualifiedAccess>]
module Server =

    /// <summary>
    /// Validates <paramref name="options"/> and builds a server for <paramref name="endPoint"/> (port 0: the system
    /// chooses; read it with <c>localEndPoint</c> once started). The options are read now and not kept.
    /// </summary>
    /// <param name="endPoint">Where to listen.</param>
    /// <param name="options">The configuration: certificate, ticket count, timeouts, the accept hook…</param>
    let create (endPoint: IPEndPoint) (options: TicketServerOptions) : Result<TicketServer, ServerError> =
        try
            Ok (new TicketServer(endPoint, options))
        with
        | :? ArgumentException as invalid -> Error (ServerError.InvalidOptions invalid.Message)
        | :? InvalidOperationException as invalid -> Error (ServerError.InvalidOptions invalid.Message)

    /// <summary>
    /// Binds, listens and starts accepting in the background. Each connection whose handshake completed is given to
    /// <paramref name="handler"/> with a token that fires when the server stops; the connection is disposed when the
    /// handler's task ends. A handler that throws closes its connection only.
    /// </summary>
    /// <param name="handler">Serves one connection after its handshake.</param>
    /// <param name="server">A server not started before.</param>
    let start (handler: TicketServerConnection -> CancellationToken -> Task<unit>) (server: TicketServer) : Result<unit, ServerError> =
        try
            // StartAsync binds and listens (or throws) before it returns; its task is already complete.
            server.StartAsync(Func<_, _, Task>(fun connection stopping -> handler connection stopping :> Task)).Wait()
            Ok ()
        with
        | :? SocketException as refused -> Error (ServerError.CannotListen (refused.SocketErrorCode, refused.Message))

    /// <summary>
    /// As <c>start</c>, with the handler as an F# <c>async</c>: the server's stopping token is its cancellation token.
    /// </summary>
    /// <param name="handler">Serves one connection after its handshake.</param>
    /// <param name="server">A server not started before.</param>
    let startAsync (handler: TicketServerConnection -> Async<unit>) (server: TicketServer) : Result<unit, ServerError> =
        server |> start (fun connection stopping -> Async.StartImmediateAsTask(handler connection, stopping))

    /// <summary>Creates a server and starts it: <c>create</c>, then <c>start</c>.</summary>
    /// <param name="endPoint">Where to listen.</param>
    /// <param name="options">The configuration.</param>
    /// <param name="handler">Serves one connection after its handshake.</param>
    let serve
        (endPoint: IPEndPoint)
        (options: TicketServerOptions)
        (handler: TicketServerConnection -> CancellationToken -> Task<unit>)
        : Result<TicketServer, ServerError> =
        create endPoint options
        |> Result.bind (fun server ->
            match start handler server with
            | Ok () -> Ok server
            | Error error ->
                server.DisposeAsync().AsTask().Wait()
                Error error)

    /// <summary>The bound address, with the real port when port 0 was asked for; <c>None</c> before the start.</summary>
    /// <param name="server">The server to read.</param>
    let localEndPoint (server: TicketServer) : IPEndPoint option =
        try
            Some server.LocalEndPoint
        with :? InvalidOperationException ->
            None

    /// <summary>
    /// Stops accepting, tells the open connections to stop, waits up to the shutdown timeout and aborts the rest; then
    /// disposes the server.
    /// </summary>
    /// <param name="server">The server to stop.</param>
    let stop (server: TicketServer) : Task =
        task {
            do! server.StopAsync CancellationToken.None
            do! server.DisposeAsync()
        }
