using BenchmarkDotNet.Attributes;
using Tickets;

namespace Tickets.Benchmarks;

/// <summary>
/// A complete server handshake in memory, ClientHello to the tickets after the client's Finished, over an
/// in-memory duplex pipe. Resumed: recorded client flights replayed (the server's work alone, plus two
/// small Pipes). Full: the scripted client computes its Finished against the server's randomised signature
/// (see <see cref="ScriptedClient"/>), so time and allocations include its small share: one record opened,
/// one sealed, a transcript hash. <see cref="Tickets"/> sets the count: the difference between 0 and 10 divided by
/// 10 is the marginal cost of one ticket (key derivation, state encoding, sealing, the message), measured without the
/// noise of sockets (a resumed handshake issues at most one whatever the count).
/// </summary>
[MemoryDiagnoser]
public class HandshakeBenchmarks
{
    private TicketServerContext context = null!;
    private ScriptedClient full = null!;
    private ScriptedClient resuming = null!;

    [Params(0, 2, 10)]
    public int Tickets { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        context = ScriptedClient.CreateServer();
        context.SetNumTickets(Tickets);
        full = ScriptedClient.Full(context);
        resuming = ScriptedClient.Resuming(context);
        if (full.RunAsync().AsTask().GetAwaiter().GetResult() || !resuming.RunAsync().AsTask().GetAwaiter().GetResult())
        {
            throw new InvalidOperationException("the scripted handshakes did not go as planned");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        full.Dispose();
        resuming.Dispose();
        context.Dispose();
    }

    [Benchmark(Baseline = true)]
    public ValueTask<bool> FullHandshake() => full.RunAsync();

    [Benchmark]
    public ValueTask<bool> ResumedHandshake() => resuming.RunAsync();
}
