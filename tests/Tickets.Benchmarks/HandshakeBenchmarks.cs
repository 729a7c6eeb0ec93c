using BenchmarkDotNet.Attributes;
using Tickets.Shell;

namespace Tickets.Benchmarks;

/// <summary>
/// A complete server handshake in memory, ClientHello to the tickets after the client's Finished, against
/// the scripted client (see <see cref="ScriptedClient"/> for what it leaves out). Time and allocations
/// include the scripted client's small share: a recorded hello, one record opened, one sealed.
/// </summary>
[MemoryDiagnoser]
public class HandshakeBenchmarks
{
    private TicketServerContext context = null!;
    private ScriptedClient full = null!;
    private ScriptedClient resuming = null!;

    [GlobalSetup]
    public void Setup()
    {
        context = ScriptedClient.CreateServer();
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
