using BenchmarkDotNet.Running;
using Tickets.Benchmarks;

// dotnet run -c Release -- --filter '*'            all BenchmarkDotNet benchmarks
// dotnet run -c Release -- --allocations resumed    which types a handshake allocates (sampled)
if (args.Length > 0 && args[0] == "--allocations")
{
    return AllocationSampler.Run(args);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
