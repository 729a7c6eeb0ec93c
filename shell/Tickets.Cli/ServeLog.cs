namespace Tickets.Cli;

/// <summary>
/// Line-oriented output of `tickets serve`. Each line is written whole under a lock and flushed at once, because
/// connections log concurrently and scripts (and the interop tests) act on lines as soon as they appear.
/// </summary>
internal sealed class ServeLog(TextWriter output, bool quiet)
{
    private readonly Lock gate = new();

    /// <summary>Start and stop lines: always written, even with --quiet, since callers wait for "listening".</summary>
    public void Status(string message) => Write($"tickets: {message}");

    /// <summary>Per-connection lines, suppressed by --quiet.</summary>
    public void Connection(string line)
    {
        if (!quiet)
        {
            Write(line);
        }
    }

    private void Write(string line)
    {
        lock (gate)
        {
            output.WriteLine(line);
            output.Flush();
        }
    }
}
