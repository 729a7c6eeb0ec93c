using System.Globalization;

namespace Tickets.Tests.Soak;

/// <summary>
/// Resident memory and open descriptors of a process, from /proc (Linux), as the soak reports them; the descriptors
/// also by kind (socket, pipe, anon_inode, file), so that a count above the baseline says what was left open.
/// </summary>
public sealed record ProcessFigures(long ResidentKilobytes, int OpenDescriptors, string DescriptorKinds, IReadOnlyList<string> Targets)
{
    public static ProcessFigures Of(int processId)
    {
        var rss = File.ReadLines($"/proc/{processId}/status")
            .Where(line => line.StartsWith("VmRSS:", StringComparison.Ordinal))
            .Select(line => long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture))
            .Single();
        var targets = Directory.GetFileSystemEntries($"/proc/{processId}/fd").Select(TargetOf).ToList();
        var kinds = string.Join(", ", targets.GroupBy(KindOf).OrderBy(group => group.Key, StringComparer.Ordinal).Select(group => $"{group.Key} {group.Count()}"));
        return new ProcessFigures(rss, targets.Count, kinds, targets);
    }

    /// <summary>
    /// The descriptors a connection could leave behind: all but the runtime's assembly files. The runtime maps an
    /// assembly when code first needs it, which under load can be long after start (a method recompiled at tier 1 that
    /// mentions StackExchange.Redis loads it, two descriptors, and keeps them): growth, but not a leak.
    /// </summary>
    public int DescriptorsBesidesAssemblies => Targets.Count(target => !target.EndsWith(".dll", StringComparison.Ordinal));

    public override string ToString() => $"rss {ResidentKilobytes / 1024.0:0.0} MiB, fds {OpenDescriptors} ({DescriptorKinds})";

    /// <summary>The descriptors open now that were not open in <paramref name="baseline"/>, by target.</summary>
    public IEnumerable<string> OpenedSince(ProcessFigures baseline)
    {
        var left = baseline.Targets.ToList();
        foreach (var target in Targets)
        {
            if (!left.Remove(target))
            {
                yield return target;
            }
        }
    }

    // "socket:[123]" => socket, "anon_inode:[eventpoll]" => anon_inode:[eventpoll], "/usr/lib/x.so" => file.
    private static string KindOf(string target) =>
        target.StartsWith('/') ? "file" : target.StartsWith("anon_inode:", StringComparison.Ordinal) ? target : target.Split(':')[0];

    // A descriptor closed between listing and reading is "gone".
    private static string TargetOf(string descriptor)
    {
        try
        {
            return new FileInfo(descriptor).LinkTarget ?? "?";
        }
        catch (IOException)
        {
            return "gone";
        }
    }
}
