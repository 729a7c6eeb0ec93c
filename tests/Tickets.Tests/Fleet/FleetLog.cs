namespace Tickets.Tests.Fleet;

/// <summary>Collects what the fleet components log, so tests can count the outage messages.</summary>
internal sealed class FleetLog
{
    private readonly Lock gate = new();
    private readonly List<string> lines = [];

    public Action<string> Sink => Write;

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (gate)
                return lines.ToArray();
        }
    }

    private void Write(string line)
    {
        lock (gate)
            lines.Add(line);
    }
}
