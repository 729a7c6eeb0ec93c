using System.Globalization;
using Tickets;

namespace Tickets.Cli;

/// <summary>
/// Standard-input commands of `tickets serve` (c, n N, N N, t [N], q), applied as openssl s_server applies its own:
/// to the most recent connection, at once, each acknowledged on the log with its result or the reason it failed.
/// Reading stops at end of input and the server carries on, so running under nohup, systemd or with input closed
/// changes nothing.
/// </summary>
internal sealed class CommandConsole(TicketServerContext context, OpenConnections connections, ServeLog log, CancellationTokenSource quit)
{
    /// <summary>A client asked for a certificate gets this long to answer before the command reports a timeout.</summary>
    private static readonly TimeSpan AuthenticationTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Reads commands until end of input or until the server stops. Console reads block, so they run on a thread of
    /// their own rather than holding one of the pool's.
    /// </summary>
    public Task RunAsync(TextReader input, CancellationToken stop) =>
        Task.Factory.StartNew(
            () => ReadLoop(input, stop),
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);

    private void ReadLoop(TextReader input, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            string? line;
            try
            {
                line = input.ReadLine();
            }
            catch (IOException)
            {
                return;
            }

            if (line is null)
            {
                return;
            }

            if (ServerCommand.Parse(line) is { } command)
            {
                // Commands run one after another, in the order typed; only the wait for a certificate runs on.
                ExecuteAsync(command, line.Trim(), stop).GetAwaiter().GetResult();
            }
        }
    }

    public async Task ExecuteAsync(ServerCommand command, string typed, CancellationToken stop)
    {
        void Ack(string message) => log.Status($"{typed}: {message}");

        switch (command)
        {
            case ServerCommand.Invalid invalid:
                Ack($"error: {invalid.Problem}");
                return;
            case ServerCommand.Quit:
                Ack("stopping");
                await quit.CancelAsync();
                return;
            case ServerCommand.SetContextCount set:
                var before = context.GetNumTickets();
                Ack(context.SetNumTickets(set.Count).Match(
                    Succ: _ => string.Create(CultureInfo.InvariantCulture, $"context num-tickets {before} -> {set.Count} (connections accepted from now on)"),
                    Fail: error => $"error: {error.Message}"));
                return;
        }

        if (connections.Latest() is not var (id, connection))
        {
            Ack("error: no open connection");
            return;
        }

        try
        {
            switch (command)
            {
                case ServerCommand.SetConnectionCount set:
                    var before = connection.GetNumTickets();
                    Ack(connection.SetNumTickets(set.Count).Match(
                        Succ: _ => string.Create(CultureInfo.InvariantCulture, $"conn {id} num-tickets {before} -> {set.Count}"),
                        Fail: error => $"error: conn {id}: {error.Message}"));
                    break;
                case ServerCommand.SendTickets send:
                    var issued = await connection.SendExtraTicketsAsync(send.Count, stop);
                    Ack(string.Create(CultureInfo.InvariantCulture, $"conn {id} sent {issued.Count} extra tickets"));
                    break;
                case ServerCommand.RequestCertificate:
                    RequestCertificate(id, connection, Ack, stop);
                    break;
            }
        }
        catch (Exception error) when (error is InvalidOperationException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            Ack($"error: conn {id}: {PeerText.Escape(error.Message)}");
        }
    }

    /// <summary>
    /// Sends the CertificateRequest and reports the outcome when the client has answered, without holding up the
    /// next command: the client answers on its own schedule, possibly only after more input of its own.
    /// </summary>
    private void RequestCertificate(long id, TicketServerConnection connection, Action<string> ack, CancellationToken stop)
    {
        if (!connection.PostHandshakeAuthOffered)
        {
            ack($"error: conn {id}: the client did not offer post_handshake_auth; no CertificateRequest sent");
            return;
        }

        ack($"conn {id} asking for a client certificate (CertificateRequest)");
        _ = Task.Run(async () =>
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stop);
            deadline.CancelAfter(AuthenticationTimeout);
            try
            {
                var result = await connection.VerifyClientPostHandshakeAsync(deadline.Token);
                ack(PeerDescription.Authenticated(id, result));
            }
            catch (OperationCanceledException) when (!stop.IsCancellationRequested)
            {
                ack($"error: conn {id}: no answer to the CertificateRequest within {AuthenticationTimeout.TotalSeconds:0} s");
            }
            catch (Exception error) when (error is InvalidOperationException or IOException or ObjectDisposedException or OperationCanceledException)
            {
                ack($"error: conn {id}: {PeerText.Escape(error.Message)}");
            }
        }, CancellationToken.None);
    }
}
