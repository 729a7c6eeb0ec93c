using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace Tickets.Benchmarks;

/// <summary>
/// Where a handshake's managed allocations go: runs many in-memory handshakes while listening to the
/// runtime's GC AllocationTick events (one sample per ~100 KB allocated, with the type that crossed the
/// line) and prints the sampled share per type. BenchmarkDotNet says how much; this says what.
/// Usage: dotnet run -c Release -- --allocations full|resumed [count]
/// </summary>
internal sealed class AllocationSampler : EventListener
{
    private readonly ConcurrentDictionary<string, long> bytesByType = new();
    private volatile bool listening;

    public static int Run(string[] args)
    {
        var resumed = args.Length > 1 && args[1] == "resumed";
        var count = args.Length > 2 ? int.Parse(args[2]) : 20_000;
        using var context = ScriptedClient.CreateServer();
        using var client = resumed ? ScriptedClient.Resuming(context) : ScriptedClient.Full(context);
        for (var i = 0; i < 200; i++)
        {
            client.RunAsync().AsTask().GetAwaiter().GetResult();
        }

        using var sampler = new AllocationSampler();
        var before = GC.GetTotalAllocatedBytes(precise: true);
        sampler.listening = true;
        for (var i = 0; i < count; i++)
        {
            client.RunAsync().AsTask().GetAwaiter().GetResult();
        }

        sampler.listening = false;
        var perHandshake = (GC.GetTotalAllocatedBytes(precise: true) - before) / (double)count;
        var total = sampler.bytesByType.Values.Sum();
        Console.WriteLine($"{(resumed ? "resumed" : "full")} handshake: {perHandshake:0} bytes allocated per handshake (scripted client included)");
        foreach (var (type, bytes) in sampler.bytesByType.OrderByDescending(pair => pair.Value).Take(30))
        {
            Console.WriteLine($"{100.0 * bytes / total,6:0.0}%  {perHandshake * bytes / total,8:0} B  {type}");
        }

        return 0;
    }

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime")
        {
            // Keyword 0x1 = GC; AllocationTick is reported at Verbose level.
            EnableEvents(source, EventLevel.Verbose, (EventKeywords)0x1);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs data)
    {
        if (!listening || data.EventName is null || !data.EventName.StartsWith("GCAllocationTick", StringComparison.Ordinal) || data.PayloadNames is null)
        {
            return;
        }

        var type = data.Payload![data.PayloadNames.IndexOf("TypeName")] as string ?? "?";
        if (type == "System.Byte[]" && data.PayloadNames.IndexOf("ObjectSize") >= 0)
        {
            var size = Convert.ToInt64(data.Payload[data.PayloadNames.IndexOf("ObjectSize")]);
            type += size >= 1024 ? $" (objects of {size / 1024} KiB)" : " (objects under 1 KiB)";
        }

        var amount = Convert.ToInt64(data.Payload[data.PayloadNames.IndexOf("AllocationAmount64")]);
        bytesByType.AddOrUpdate(type, amount, (_, sum) => sum + amount);
    }
}
