namespace Tickets.Core.Negotiation;

/// <summary>
/// Membership over 16-bit code points (groups, schemes, suites, extension types) in constant time per question, so a
/// ClientHello listing thousands of values costs linear time to check, not the product of two of its lists. A short
/// list (the usual case: a handful of groups) is scanned in place and allocates nothing; a longer one is hashed once.
/// Built and used inside one pure function, never shared.
/// </summary>
internal sealed class CodePointSet
{
    /// <summary>Up to this many values a scan costs at most this many comparisons: a constant, and cheaper than hashing.</summary>
    private const int ScanLimit = 8;

    private readonly ushort[] few;
    private readonly HashSet<ushort>? many;

    private CodePointSet(ushort[] few, HashSet<ushort>? many)
    {
        this.few = few;
        this.many = many;
    }

    /// <summary>The code points of <paramref name="values"/>, read once, in one pass.</summary>
    public static CodePointSet Of<T>(ReadOnlySpan<T> values, Func<T, ushort> code)
    {
        var count = values.Length;
        if (count <= ScanLimit)
        {
            var few = new ushort[count];
            var index = 0;
            foreach (var value in values)
            {
                few[index++] = code(value);
            }

            return new CodePointSet(few, null);
        }

        var many = new HashSet<ushort>(count);
        foreach (var value in values)
        {
            many.Add(code(value));
        }

        return new CodePointSet([], many);
    }

    /// <summary>Whether <paramref name="value"/> is one of the set's code points.</summary>
    public bool Contains(ushort value) => many?.Contains(value) ?? Array.IndexOf(few, value) >= 0;

    /// <summary>
    /// The first code point of <paramref name="values"/> that repeats an earlier one, if any; one pass, each value
    /// looked up once.
    /// </summary>
    public static ushort? FirstRepeat<T>(ReadOnlySpan<T> values, Func<T, ushort> code)
    {
        if (values.Length <= 1)
        {
            return null;
        }

        var seen = new HashSet<ushort>(values.Length);
        foreach (var value in values)
        {
            var point = code(value);
            if (!seen.Add(point))
            {
                return point;
            }
        }

        return null;
    }
}
