/// The server through Tickets.FSharp against a real client: openssl s_client counts the NewSessionTicket messages it
/// receives (-msg), and reports whether the session was new or reused, while the F# side sees the same handshakes as
/// Result values and active patterns.
[<Xunit.Trait("Category", "Interop")>]
module Tickets.Properties.FSharpServerTests

open System
open System.Diagnostics
open System.IO
open System.Net
open System.Net.Sockets
open System.Security.Cryptography
open System.Security.Cryptography.X509Certificates
open System.Threading
open System.Threading.Tasks
open Xunit
open Tickets
open Tickets.Core.Protocol
open Tickets.FSharp

/// A self-signed ECDSA P-256 certificate for localhost, with its private key.
let private certificate () =
    use key = ECDsa.Create(ECCurve.NamedCurves.nistP256)
    let request = X509Certificates.CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256)
    let names = SubjectAlternativeNameBuilder()
    names.AddDnsName "localhost"
    request.CertificateExtensions.Add(names.Build())
    let now = DateTimeOffset.UtcNow
    request.CreateSelfSigned(now.AddDays -1.0, now.AddDays 1.0)

/// What s_client saw on one connection.
type private Seen = { Tickets: int; Reused: bool; Output: string }

/// Runs `openssl s_client -msg` against the port, offering `offer` (a saved session) and saving the newest ticket's
/// session to `save`; -ign_eof keeps it reading until the server closes, so every ticket is read.
let private sClient (port: int) (extra: string list) : Task<Seen> =
    task {
        let arguments =
            [ "s_client"; "-connect"; $"127.0.0.1:{port}"; "-servername"; "localhost"; "-msg"; "-ign_eof" ] @ extra
        let start = ProcessStartInfo("openssl", arguments, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true)
        use openssl = new Process(StartInfo = start)
        openssl.Start() |> ignore
        openssl.StandardInput.Close()
        let output = openssl.StandardOutput.ReadToEndAsync()
        let errors = openssl.StandardError.ReadToEndAsync()
        use timeout = new CancellationTokenSource(TimeSpan.FromSeconds 20.0)
        try
            do! openssl.WaitForExitAsync timeout.Token
        with :? OperationCanceledException ->
            openssl.Kill true
            failwithf "s_client did not finish within 20 s: %s" (String.Join(" ", arguments))
        let! output = output
        let! errors = errors
        let tickets =
            output.Split '\n'
            |> Array.filter (fun line -> line.StartsWith "<<< TLS 1.3, Handshake" && line.TrimEnd().EndsWith "NewSessionTicket")
            |> Array.length
        return { Tickets = tickets; Reused = output.Contains "Reused, TLSv1.3"; Output = output + errors }
    }

let private newDirectory () =
    let directory = Path.Combine(Path.GetTempPath(), $"tickets-fsharp-{Guid.NewGuid():N}")
    Directory.CreateDirectory directory |> ignore
    directory

[<Fact>]
let ``Server.serve: s_client gets the configured count, then one ticket on resumption, and the handler sees the same`` () =
    task {
        use certificate = certificate ()
        let options = TicketServerOptions(ServerCertificate = certificate, NumTickets = 3)
        let seen = Collections.Concurrent.ConcurrentQueue<HandshakeSummary>()
        let handler (connection: TicketServerConnection) (stopping: CancellationToken) =
            task {
                ServerConnection.summary connection |> Option.iter seen.Enqueue
                let stream = ServerConnection.stream connection
                do! stream.WriteAsync(ReadOnlyMemory "hello from F#\n"B, stopping)
                // Disposing the stream sends close_notify.
                do! stream.DisposeAsync()
            }
        match Server.serve (IPEndPoint(IPAddress.Loopback, 0)) options handler with
        | Error error -> failwithf "the server did not start: %A" error
        | Ok server ->
            try
                let port = (Server.localEndPoint server |> Option.get).Port
                let directory = newDirectory ()
                let session = Path.Combine(directory, "session.pem")
                let! first = sClient port [ "-sess_out"; session ]
                let! second = sClient port [ "-sess_in"; session ]
                Assert.True((first.Tickets, first.Reused) = (3, false), first.Output)
                Assert.True((second.Tickets, second.Reused) = (1, true), second.Output)
                Assert.Contains("hello from F#", first.Output)
                let kinds =
                    seen
                    |> Seq.map (fun summary ->
                        match summary with
                        | NewSession -> "new", summary.Tickets.Length
                        | ResumedSession (Some 0) -> "resumed", summary.Tickets.Length
                        | ResumedSession _ -> "resumed without the first identity", summary.Tickets.Length
                        | ExternalPskSession -> "external PSK", summary.Tickets.Length)
                    |> List.ofSeq
                Assert.Equal<(string * int) list>([ "new", 3; "resumed", 1 ], kinds)
            finally
                (Server.stop server).Wait()
    }

/// Accepts one socket and runs the handshake through ServerConnection.handshake, with the count set on the
/// connection first (SSL_set_num_tickets), returning what the F# API reported.
let private handshakeOnce (context: TicketServerContext) (listener: Socket) (count: int) =
    task {
        use! socket = listener.AcceptAsync()
        let connection = context.CreateConnection socket
        try
            match ServerConnection.setNumTickets count connection with
            | Error refusal -> return failwithf "count refused: %A" refusal
            | Ok () ->
                let! result = ServerConnection.handshake CancellationToken.None connection
                if result |> Result.isOk then
                    do! ServerConnection.shutdown connection
                return result
        finally
            connection.DisposeAsync().AsTask().Wait()
    }

[<Fact>]
let ``ServerConnection.handshake: a completed handshake is Ok with the connection's own count, a refused one an Error with our alert`` () =
    task {
        use certificate = certificate ()
        use context = new TicketServerContext(TicketServerOptions(ServerCertificate = certificate))
        use listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)
        listener.Bind(IPEndPoint(IPAddress.Loopback, 0))
        listener.Listen 4
        let port =
            match listener.LocalEndPoint with
            | :? IPEndPoint as bound -> bound.Port
            | other -> failwithf "not an IP endpoint: %O" other

        // The context's count is the default 2; this connection's own is 4.
        let served = handshakeOnce context listener 4
        let! client = sClient port []
        let! result = served
        Assert.True(client.Tickets = 4, client.Output)
        match result with
        | Ok summary ->
            Assert.Equal(SessionKind.New, summary.Kind)
            Assert.Equal(4, summary.Tickets.Length)
            Assert.Equal(Some "localhost", summary.ServerName)
        | Error error -> failwithf "the handshake failed: %A" error

        // A client that speaks only TLS 1.2 is refused: the F# API returns the alert instead of throwing.
        let refused = handshakeOnce context listener 4
        let! _ = sClient port [ "-tls1_2" ]
        match! refused with
        | Error (HandshakeError.Alert (alert, sentByPeer, _)) ->
            Assert.Equal(AlertDescription.ProtocolVersion, alert)
            Assert.False sentByPeer
        | other -> failwithf "expected our protocol_version alert, got %A" other

        // A negative count is refused by the F# API before it reaches the connection, as the core refuses it.
        use client = new TcpClient()
        let accepted = listener.AcceptAsync()
        do! client.ConnectAsync(IPAddress.Loopback, port)
        let! socket = accepted
        let connection = context.CreateConnection socket
        Assert.Equal(Error Tickets.Core.Model.TicketErrors.NegativeCount, ServerConnection.setNumTickets -1 connection)
        // Still the context's default count: the refused call changed nothing.
        Assert.Equal(2, ServerConnection.numTickets connection)
        do! connection.DisposeAsync()
    }

[<Fact>]
let ``docs/fsharp.md's greeter: s_client on this machine gets 4 tickets, then 1 on resumption, and the greeting says so`` () =
    task {
        use certificate = certificate ()
        match UsageSample.startGreeter certificate with
        | Error error -> failwithf "the server did not start: %A" error
        | Ok server ->
            try
                let port = (Server.localEndPoint server |> Option.get).Port
                let session = Path.Combine(newDirectory (), "session.pem")
                let! first = sClient port [ "-sess_out"; session ]
                let! second = sClient port [ "-sess_in"; session ]
                Assert.True((first.Tickets, first.Reused) = (4, false), first.Output)
                Assert.Contains("hello, new session, 4 tickets", first.Output)
                Assert.True((second.Tickets, second.Reused) = (1, true), second.Output)
                Assert.Contains("welcome back, 1 ticket", second.Output)
            finally
                (Server.stop server).Wait()
    }
