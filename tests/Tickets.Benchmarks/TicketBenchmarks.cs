using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using LanguageExt;
using Tickets.Core.Model;
using Tickets.Core.Protocol;
using Tickets.TicketStore;

namespace Tickets.Benchmarks;

/// <summary>Sealing and opening one ticket: the session state's encoding plus AES-256-GCM under the ticket key.</summary>
[MemoryDiagnoser]
public class TicketBenchmarks
{
    private readonly TicketKey key = TicketKey.Generate();
    private readonly SessionState state = new(
        new ResumableSession(
            ProtocolVersion.Tls13, CipherSuite.TLS_AES_128_GCM_SHA256, 1_764_000_000_000, 7200, 0x01020304, "localhost", "http/1.1",
            Option<PeerIdentity>.None, new AuthenticationContext(ClientCertificateRequirement.None, new string('0', 64))),
        RandomNumberGenerator.GetBytes(32));
    private byte[] ticket = [];

    [GlobalSetup]
    public void Setup() => ticket = SealTicket();

    [GlobalCleanup]
    public void Cleanup() => key.Dispose();

    [Benchmark]
    public byte[] SealTicket() => key.Seal(SessionStateFormat.Encode(state));

    [Benchmark]
    public object? OpenTicket() =>
        key.TryOpen(ticket).MatchUnsafe(plaintext => SessionStateFormat.Decode(plaintext), () => null);
}
