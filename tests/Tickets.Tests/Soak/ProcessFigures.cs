using System.Globalization;

namespace Tickets.Tests.Soak;

/// <summary>Resident memory and open descriptors of a process, from /proc (Linux), as the soak reports them.</summary>
public sealed record ProcessFigures(long ResidentKilobytes, int OpenDescriptors)
{
    public static ProcessFigures Of(int processId)
    {
        var rss = File.ReadLines($"/proc/{processId}/status")
            .Where(line => line.StartsWith("VmRSS:", StringComparison.Ordinal))
            .Select(line => long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture))
            .Single();
        var descriptors = Directory.GetFileSystemEntries($"/proc/{processId}/fd").Length;
        return new ProcessFigures(rss, descriptors);
    }

    public override string ToString() => $"rss {ResidentKilobytes / 1024.0:0.0} MiB, fds {OpenDescriptors}";
}
