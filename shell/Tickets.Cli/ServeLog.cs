using Tickets.Trace;

namespace Tickets.Cli;

/// <summary>
/// Line-oriented output of `tickets serve`. Each line is written whole under a lock and flushed at once, because
/// connections log concurrently and scripts (and the interop tests) act on lines as soon as they appear.
/// </summary>
internal sealed class ServeLog(TextWriter output, bool quiet)
{

    /// <summary>Start and stop lines: always written, even with --quiet, since callers wait for "listening".</summary>
    public void Status(string message) => Write($"tickets: {message}");

    /// <summary>False with --quiet: callers skip building per-connection lines nobody will read.</summary>
    public bool WritesConnectionLines => !quiet;

    /// <summary>Per-connection lines, suppressed by --quiet.</summary>
    public void Connection(string line)
    {
        if (!quiet)
        {
            Write(line);
        }
    }

    /// <summary>
    /// The --trace output of connection <paramref name="id"/>: same output, same lock (the trace writer locks the
    /// writer too), so trace lines and log lines never cut into each other. Not affected by --quiet.
    /// </summary>
    public ITlsTraceSink Trace(long id) => new TraceTextWriter(output, id);

    private void Write(string line)
    {
        lock (output)
        {
            output.WriteLine(line);
            output.Flush();
        }
    }
}
