/// The server functions of Tickets.FSharp in process, against .NET's SslStream: refusals as Result values (invalid
/// options, a port in use, extra tickets before the handshake), an async handler, and extra tickets after one.
[<Xunit.Trait("Category", "Unit")>]
module Tickets.Properties.FSharpServerApiTests

open System
open System.Net
open System.Net.Security
open System.Net.Sockets
open System.Security.Cryptography
open System.Security.Cryptography.X509Certificates
open System.Threading
open Xunit
open Tickets
open Tickets.FSharp

let private certificate () =
    use key = ECDsa.Create(ECCurve.NamedCurves.nistP256)
    let request = X509Certificates.CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256)
    let now = DateTimeOffset.UtcNow
    request.CreateSelfSigned(now.AddDays -1.0, now.AddDays 1.0)

/// Connects with SslStream over TLS 1.3 (accepting the self-signed certificate) and reads until the server closes.
let private readAll (port: int) =
    task {
        use tcp = new TcpClient()
        do! tcp.ConnectAsync(IPAddress.Loopback, port)
        use tls = new SslStream(tcp.GetStream(), false, RemoteCertificateValidationCallback(fun _ _ _ _ -> true))
        let options =
            SslClientAuthenticationOptions(TargetHost = "localhost", EnabledSslProtocols = System.Security.Authentication.SslProtocols.Tls13)
        do! tls.AuthenticateAsClientAsync options
        use reader = new IO.StreamReader(tls)
        return! reader.ReadToEndAsync()
    }

[<Fact>]
let ``Server.create: options without a certificate are an InvalidOptions error, not an exception`` () =
    match Server.create (IPEndPoint(IPAddress.Loopback, 0)) (TicketServerOptions(NumTickets = 3)) with
    | Error (ServerError.InvalidOptions message) -> Assert.Contains("ertificate", message)
    | other -> failwithf "expected InvalidOptions, got %A" other

[<Fact>]
let ``Server.start: a port in use is a CannotListen error, not an exception`` () =
    task {
        use certificate = certificate ()
        use taken = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)
        taken.Bind(IPEndPoint(IPAddress.Loopback, 0))
        taken.Listen 1
        let endPoint =
            match taken.LocalEndPoint with
            | :? IPEndPoint as bound -> bound
            | other -> failwithf "not an IP endpoint: %O" other
        let handler _ _ = task { return () }
        match Server.serve endPoint (TicketServerOptions(ServerCertificate = certificate)) handler with
        | Error (ServerError.CannotListen (error, _)) -> Assert.Equal(SocketError.AddressAlreadyInUse, error)
        | Ok server ->
            do! Server.stop server
            failwith "a second server listened on a port in use"
        | Error other -> failwithf "expected CannotListen, got %A" other
    }

[<Fact>]
let ``Server.startAsync: an async handler serves, and sendExtraTickets adds tickets after the handshake`` () =
    task {
        use certificate = certificate ()
        let extra = Collections.Concurrent.ConcurrentQueue<Result<IssuedTicket list, Tickets.Core.Model.TicketError> * int>()
        let handler (connection: TicketServerConnection) =
            async {
                let! token = Async.CancellationToken
                let! sent = ServerConnection.sendExtraTickets 2 token connection |> Async.AwaitTask
                extra.Enqueue((sent, ServerConnection.issuedTickets connection |> List.length))
                let stream = ServerConnection.stream connection
                do! stream.WriteAsync(ReadOnlyMemory "served by async\n"B, token).AsTask() |> Async.AwaitTask
                do! stream.DisposeAsync().AsTask() |> Async.AwaitTask
            }
        match Server.create (IPEndPoint(IPAddress.Loopback, 0)) (TicketServerOptions(ServerCertificate = certificate)) with
        | Error error -> failwithf "not created: %A" error
        | Ok server ->
            try
                match Server.startAsync handler server with
                | Error error -> failwithf "not started: %A" error
                | Ok () ->
                    let port = (Server.localEndPoint server |> Option.get).Port
                    let! text = readAll port
                    Assert.Equal("served by async\n", text)
                    match List.ofSeq extra with
                    | [ Ok tickets, total ] ->
                        Assert.Equal(2, tickets.Length)
                        // The default 2 after the handshake, then the 2 extra.
                        Assert.Equal(4, total)
                        Assert.Equal<uint64 list>([ 2UL; 3UL ], tickets |> List.map (fun ticket -> ticket.Nonce))
                    | other -> failwithf "expected one Ok with two tickets, got %A" other
            finally
                (Server.stop server).Wait()
    }

[<Fact>]
let ``ServerConnection: extra tickets before the handshake and negative ones are refused as the core refuses them`` () =
    use certificate = certificate ()
    use context = new TicketServerContext(TicketServerOptions(ServerCertificate = certificate))
    let connection = context.CreateConnection(new IO.MemoryStream())
    try
        Assert.Equal(Error Tickets.Core.Model.TicketErrors.ExtraTicketsBeforeHandshake, (ServerConnection.sendExtraTickets 1 CancellationToken.None connection).Result)
        Assert.Equal(Error Tickets.Core.Model.TicketErrors.NegativeExtraTicketCount, (ServerConnection.sendExtraTickets -1 CancellationToken.None connection).Result)
        Assert.Equal(None, ServerConnection.summary connection)
        Assert.Equal(Ok (), ServerConnection.setNumTickets 0 connection)
        Assert.Equal(0, ServerConnection.numTickets connection)
    finally
        connection.DisposeAsync().AsTask().Wait()
