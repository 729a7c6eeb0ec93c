/// The worked example of docs/fsharp.md, kept here so that it always compiles and runs: the property below runs the
/// ticket part, FSharpServerTests serves s_client with the server part, and a test checks that the document quotes the
/// text between the two markers verbatim.
[<Xunit.Trait("Category", "Unit")>]
module Tickets.Properties.UsageSample

open FsCheck.Xunit

// docs/fsharp.md: begin
open System.Net
open System.Threading
open Tickets
open Tickets.Core.Model
open Tickets.FSharp

/// One line per decision: how many tickets, and why (the decision's reason through the package's active pattern).
let describe (decision: TicketDecision) : string =
    let why =
        match TicketDecision.reason decision with
        | IssuedCount false -> "the connection's count, after the handshake"
        | IssuedCount true -> "the count again, after a post-handshake authentication"
        | IssuedAtMostOne _ -> "at most one, the session was resumed"
        | IssuedAsRequested -> "what the client's ticket_request asked for"
        | IssuedExtra -> "extra tickets the application asked for"
        | WithheldCountZero -> "none, the count is zero"
        | WithheldStrictPskModes -> "none, the client sent no psk_key_exchange_modes"
    sprintf "%d: %s" (TicketDecision.count decision) why

/// SSL_CTX_set_num_tickets(ctx, 3); a negative count would be an Error, not an exception.
let serverSettings () : Result<Context, TicketError> = Context.create () |> Context.withNumTickets 3

/// SSL_new, a full handshake, then two tickets on top (SSL_new_session_ticket twice): each decision's Next state is
/// the state the following event is decided on.
let fullHandshakeThenExtra (context: Context) : Result<TicketDecision list, TicketError> =
    TicketPolicy.decideAll context (Connection.ofContext context) [ HandshakeOutcome.full true None; HandshakeOutcome.extraTickets 2 ]

/// Another connection resumes one of those tickets.
let resumption (context: Context) : Result<TicketDecision, TicketError> =
    TicketPolicy.decide context (Connection.ofContext context) (HandshakeOutcome.resumption true None)

/// A server on 127.0.0.1 (port 0: the system picks one) that sends 3 tickets after a full handshake, 4 to clients on
/// this machine (SSL_set_num_tickets on their connection before its handshake), and greets each client.
let startGreeter (certificate: System.Security.Cryptography.X509Certificates.X509Certificate2) : Result<TicketServer, ServerError> =
    let options =
        TicketServerOptions(
            ServerCertificate = certificate,
            NumTickets = 3,
            OnConnectionAccepted =
                fun accepted ->
                    let connection = Accepted.connection accepted
                    match ServerConnection.remoteEndPoint connection with
                    | Some (:? IPEndPoint as remote) when IPAddress.IsLoopback remote.Address ->
                        ServerConnection.setNumTickets 4 connection |> ignore
                    | _ -> ())
    let greet (connection: TicketServerConnection) (stopping: CancellationToken) =
        task {
            let hello =
                match ServerConnection.summary connection with
                | Some (NewSession as summary) -> $"hello, new session, {summary.Tickets.Length} tickets\n"
                | Some (ResumedSession _ as summary) -> $"welcome back, {summary.Tickets.Length} ticket\n"
                | Some ExternalPskSession -> "hello, external PSK\n"
                | None -> "no handshake?\n"
            let stream = ServerConnection.stream connection
            do! stream.WriteAsync(System.ReadOnlyMemory(System.Text.Encoding.ASCII.GetBytes hello), stopping)
            do! stream.DisposeAsync() // close_notify
        }
    Server.serve (IPEndPoint(IPAddress.Loopback, 0)) options greet
// docs/fsharp.md: end

[<Property>]
let ``usage: three tickets after a full handshake, two more on request, one after a resumption, a second handshake refused`` () =
    match serverSettings () with
    | Error refusal -> failwithf "refused: %s" (TicketError.message refusal)
    | Ok context ->
        let secondHandshake =
            fullHandshakeThenExtra context
            |> Result.bind (fun decisions ->
                TicketPolicy.decide context (decisions |> List.last |> TicketDecision.next) (HandshakeOutcome.full true None))
        let extraNonces =
            fullHandshakeThenExtra context
            |> Result.map (List.last >> TicketDecision.tickets >> List.map (fun ticket -> ticket.Nonce))
        fullHandshakeThenExtra context |> Result.map (List.map describe)
            = Ok [ "3: the connection's count, after the handshake"; "2: extra tickets the application asked for" ]
        && (resumption context |> Result.map describe) = Ok "1: at most one, the session was resumed"
        && extraNonces = Ok [ 3UL; 4UL ]
        && secondHandshake = Error TicketErrors.HandshakeAlreadyComplete
        && (Context.create () |> Context.withNumTickets -1) = Error TicketErrors.NegativeCount

/// The folder holding Tickets.sln, found by walking up from the test binaries.
let private repositoryRoot () =
    let rec up (directory: System.IO.DirectoryInfo | null) =
        match directory with
        | null -> failwith "no Tickets.sln above the test binaries"
        | directory when System.IO.File.Exists(System.IO.Path.Combine(directory.FullName, "Tickets.sln")) -> directory.FullName
        | directory -> up directory.Parent
    up (System.IO.DirectoryInfo System.AppContext.BaseDirectory)

[<Xunit.Fact>]
let ``usage: docs/fsharp.md quotes the example of this file verbatim`` () =
    let root = repositoryRoot ()
    let source = System.IO.File.ReadAllLines(System.IO.Path.Combine(root, "properties", "Tickets.Properties", "UsageSample.fs"))
    let example =
        source
        |> Array.skipWhile (fun line -> line <> "// docs/fsharp.md: begin")
        |> Array.skip 1
        |> Array.takeWhile (fun line -> line <> "// docs/fsharp.md: end")
        |> String.concat "\n"
    let document = System.IO.File.ReadAllText(System.IO.Path.Combine(root, "docs", "fsharp.md")).Replace("\r\n", "\n")
    Xunit.Assert.True(example.Length > 1000, "the example between the markers is missing")
    Xunit.Assert.Contains(example, document)
