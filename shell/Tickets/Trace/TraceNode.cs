namespace Tickets.Trace;

/// <summary>
/// One line of a dissected message, in the manner of Wireshark's packet tree: a field name, its decoded value
/// (possibly empty for a pure heading) and the fields nested inside it. Immutable, so a trace event can be kept
/// or handed to another thread.
/// </summary>
public sealed record TraceNode(string Name, string Value, IReadOnlyList<TraceNode> Children)
{
    /// <summary>A leaf: a field with its value and nothing nested inside it.</summary>
    /// <param name="name">The field's name.</param>
    /// <param name="value">Its decoded value.</param>
    public TraceNode(string name, string value)
        : this(name, value, [])
    {
    }

    /// <summary>This node and every node below it, depth first, in wire order.</summary>
    public IEnumerable<TraceNode> DescendantsAndSelf()
    {
        yield return this;
        foreach (var child in Children)
        {
            foreach (var node in child.DescendantsAndSelf())
            {
                yield return node;
            }
        }
    }
}
