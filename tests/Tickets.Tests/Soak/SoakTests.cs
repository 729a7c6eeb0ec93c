using Xunit.Abstractions;

namespace Tickets.Tests.Soak;

/// <summary>
/// The soak run, short in CI (20 clients for 5 s): no failed handshakes, every payload intact, sessions really
/// resumed, and the server's descriptors back at their baseline. No assertion is about speed.
/// </summary>
public sealed class SoakTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Concurrent_full_and_resumed_echo_clients_leave_nothing_behind()
    {
        var report = await SoakRun.RunAsync(SoakSettings.FromEnvironment());
        output.WriteLine(report.ToString());
        if (Environment.GetEnvironmentVariable("SOAK_REPORT") is { Length: > 0 } path)
        {
            await File.WriteAllTextAsync(path, report + Environment.NewLine);
        }

        Assert.True(report.Failures == 0, report.ToString());
        Assert.True(report.Mismatches == 0, report.ToString());
        Assert.True(report.Handshakes > 0, report.ToString());
        Assert.Equal(report.Handshakes, report.Full + report.Resumed);
        Assert.True(report.Resumed > 0 && report.Full > 0, report.ToString());
        Assert.True(report.After.OpenDescriptors <= report.Before.OpenDescriptors, report.ToString());
        Assert.True(report.OtherServerLines == 0, report.ToString());
    }
}
