using BenchmarkDotNet.Attributes;
using LanguageExt;
using Tickets.Core.Protocol;

namespace Tickets.Benchmarks;

/// <summary>ClientHelloCodec.Parse over the real ClientHellos in tests/fixtures.</summary>
[MemoryDiagnoser]
public class ClientHelloBenchmarks
{
    private byte[] message = [];

    [ParamsSource(nameof(Fixtures))]
    public string Fixture { get; set; } = "";

    public static IEnumerable<string> Fixtures() => Benchmarks.Fixtures.Names();

    [GlobalSetup]
    public void Setup() => message = Benchmarks.Fixtures.Handshake(Fixture);

    [Benchmark]
    public Fin<ClientHello> Parse() => ClientHelloCodec.Parse(message);
}
