using System.Diagnostics;
using System.Net.Security;
using System.Security.Cryptography;
using Tickets.Tests.Interop;
using Tickets.Tests.Interop.Clients;

namespace Tickets.Tests.Soak;

/// <summary>
/// The load and soak run: <see cref="SoakSettings.Clients"/> concurrent clients against one `tickets serve` (echo
/// mode) on loopback for <see cref="SoakSettings.Duration"/>. Each client connects again and again with .NET's
/// SslStream, which on Linux keeps OpenSSL's session cache per target host: a client reusing its own host name
/// offers the ticket from its previous connection (a resumption), and every fourth connection uses a fresh name
/// (a full handshake). Every connection echoes a random payload and compares SHA-256 of what came back. Resumptions
/// are counted from the server's log lines, since SslStream does not say whether it resumed.
/// </summary>
public static class SoakRun
{
    private const int MaxPayload = 40 * 1024;

    public static async Task<SoakReport> RunAsync(SoakSettings settings, CancellationToken cancellationToken = default)
    {
        await using var server = await TicketsServer.StartAsync(["--port", "0"]);
        var runId = Guid.NewGuid().ToString("N")[..8];

        // Warm up first (JIT, thread pool, buffer pools), so the baseline is the server at rest, not the server cold.
        var warmUp = new ClientTally();
        for (var i = 0; i < 5; i++)
        {
            await OneConnectionAsync(server.Port, $"warm-{runId}-{i}.localhost", warmUp, cancellationToken);
        }

        await WaitForConnectionLinesAsync(server, warmUp.Handshakes);
        var before = ProcessFigures.Of(server.Process.ProcessId);
        var linesBefore = server.Process.OutputLines.Count;

        var tally = new ClientTally();
        var phases = new List<SoakPhase>();
        var elapsed = TimeSpan.Zero;
        IReadOnlyList<ServerConnectionLine> lines = [];
        ProcessFigures during = before, after = before;
        for (var phase = 1; phase <= settings.Phases; phase++)
        {
            var handshakesBefore = tally.Handshakes;
            var clock = Stopwatch.StartNew();
            using (var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                stop.CancelAfter(settings.Duration);
                var workers = Enumerable.Range(0, settings.Clients)
                    .Select(worker => Task.Run(
                        () => ClientLoopAsync(server.Port, $"soak-{runId}-{phase}-{worker}", tally, stop.Token), CancellationToken.None))
                    .ToArray();
                await Task.WhenAll(workers);
            }

            elapsed += clock.Elapsed;

            // Every connection the clients completed shows up as one server line; then the server should be back at rest.
            lines = await WaitForConnectionLinesAsync(server, warmUp.Handshakes + tally.Handshakes);
            during = ProcessFigures.Of(server.Process.ProcessId);
            after = await SettleAsync(server.Process.ProcessId, before);
            phases.Add(new SoakPhase(phase, tally.Handshakes - handshakesBefore, during, after));
        }

        var newLines = lines.Skip(warmUp.Handshakes).ToList();
        return new SoakReport(
            settings,
            elapsed,
            tally.Handshakes,
            newLines.Count(line => line.Resumed),
            newLines.Count(line => !line.Resumed),
            tally.Failures,
            tally.Mismatches,
            tally.FirstFailure,
            before,
            during,
            after,
            phases,
            server.Process.OutputLines.Skip(linesBefore).Count(line => !ServerConnectionLine.IsConnectionLine(line)));
    }

    private static async Task ClientLoopAsync(int port, string hostPrefix, ClientTally tally, CancellationToken stop)
    {
        var round = 0;
        var host = $"{hostPrefix}-0.localhost";
        while (!stop.IsCancellationRequested)
        {
            if (round % 4 == 0)
            {
                // A name SslStream has no session for: this connection is a full handshake, the next three resume.
                host = $"{hostPrefix}-{round}.localhost";
            }

            round++;
            await OneConnectionAsync(port, host, tally, stop);
        }
    }

    /// <summary>One whole connection: handshake, echo, close_notify both ways. A connection the deadline cut short is not counted.</summary>
    private static async Task OneConnectionAsync(int port, string host, ClientTally tally, CancellationToken stop)
    {
        var payload = RandomNumberGenerator.GetBytes(1 + RandomNumberGenerator.GetInt32(MaxPayload));
        // The deadline stops new connections; one already started gets a bounded time of its own to finish.
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        SslStream? stream = null;
        try
        {
            if (stop.IsCancellationRequested)
            {
                return;
            }

            stream = await SslStreamClient.ConnectAsync(port, host, guard.Token);
            tally.Handshake();
            await stream.WriteAsync(payload, guard.Token);
            var echoed = new byte[payload.Length];
            await stream.ReadExactlyAsync(echoed, guard.Token);
            if (!SHA256.HashData(echoed).AsSpan().SequenceEqual(SHA256.HashData(payload)))
            {
                tally.Mismatch();
            }

            await stream.ShutdownAsync();
            // Wait for the server's close_notify: the connection is over on both sides before we count it done.
            if (await stream.ReadAsync(new byte[1], guard.Token) != 0)
            {
                throw new InvalidDataException("the server sent data after the echo");
            }
        }
        catch (Exception error) when (error is not OperationCanceledException || guard.IsCancellationRequested)
        {
            tally.Fail(error);
        }
        finally
        {
            if (stream is not null)
            {
                await stream.DisposeAsync();
            }
        }
    }

    private static async Task<IReadOnlyList<ServerConnectionLine>> WaitForConnectionLinesAsync(TicketsServer server, int count)
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            var lines = server.Process.OutputLines.Where(ServerConnectionLine.IsConnectionLine).Select(ServerConnectionLine.Parse).ToList();
            if (lines.Count >= count || guard.IsCancellationRequested)
            {
                return lines;
            }

            await Task.Delay(100);
        }
    }

    /// <summary>
    /// The server closes a connection's descriptor right after its close_notify, a moment after the client sees it:
    /// give it that moment (bounded) to come back to its baseline before the final reading.
    /// </summary>
    private static async Task<ProcessFigures> SettleAsync(int processId, ProcessFigures baseline)
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var figures = ProcessFigures.Of(processId);
            if (figures.DescriptorsBesidesAssemblies <= baseline.DescriptorsBesidesAssemblies || guard.IsCancellationRequested)
            {
                return figures;
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Counters shared by all client loops.</summary>
    private sealed class ClientTally
    {
        private int handshakes;
        private int failures;
        private int mismatches;

        public int Handshakes => Volatile.Read(ref handshakes);

        public int Failures => Volatile.Read(ref failures);

        public int Mismatches => Volatile.Read(ref mismatches);

        public string? FirstFailure { get; private set; }

        public void Handshake() => Interlocked.Increment(ref handshakes);

        public void Mismatch() => Interlocked.Increment(ref mismatches);

        public void Fail(Exception error)
        {
            if (Interlocked.Increment(ref failures) == 1)
            {
                FirstFailure = $"{error.GetType().Name}: {error.Message}";
            }
        }
    }
}
