using BenchmarkDotNet.Attributes;
using LanguageExt;
using Tickets.Core.Model;
using Tickets.Core.Policy;

namespace Tickets.Benchmarks;

/// <summary>TicketPolicy.Decide for the three decisions a server takes all the time.</summary>
[MemoryDiagnoser]
public class PolicyBenchmarks
{
    private readonly Context context = Context.Default;
    private readonly Connection fresh = Connection.Create(Context.Default);
    private readonly HandshakeOutcome full = new HandshakeOutcome.FullHandshake(true);
    private readonly HandshakeOutcome resumed = new HandshakeOutcome.Resumption(true, Option<PeerIdentity>.None);
    private readonly HandshakeOutcome extra = new HandshakeOutcome.ExtraTicketsRequested(1);
    private Connection established;

    [GlobalSetup]
    public void Setup() =>
        established = TicketPolicy.Decide(context, fresh, full).Match(decision => decision.Next, error => throw new InvalidOperationException(error.Message));

    [Benchmark(Baseline = true)]
    public Fin<TicketDecision> DecideFullHandshake() => TicketPolicy.Decide(context, fresh, full);

    [Benchmark]
    public Fin<TicketDecision> DecideResumption() => TicketPolicy.Decide(context, fresh, resumed);

    [Benchmark]
    public Fin<TicketDecision> DecideExtraTicket() => TicketPolicy.Decide(context, established, extra);
}
