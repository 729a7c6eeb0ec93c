using System.Globalization;

namespace Tickets.Tests.Packaging;

/// <summary>
/// A NuGet dependency's version range as a .nuspec writes it: "1.2.3" means 1.2.3 or newer, "[1.2.3]" exactly that,
/// "[1.0, 2.0)" a window, "(, 2.0]" anything up to 2.0.
/// </summary>
public sealed record DependencyRange(string? Minimum, bool MinimumInclusive, string? Maximum, bool MaximumInclusive)
{
    /// <summary>A lower bound and no upper one: the form that never breaks an app that needs a newer version.</summary>
    public bool IsLowerBoundOnly => Minimum is not null && MinimumInclusive && Maximum is null;

    /// <summary>Exactly one version.</summary>
    public bool IsExact => Minimum is not null && Minimum == Maximum && MinimumInclusive && MaximumInclusive;

    public static DependencyRange Parse(string text)
    {
        var range = text.Trim();
        if (range.Length == 0)
        {
            return new DependencyRange(null, false, null, false);
        }

        if (range[0] != '[' && range[0] != '(')
        {
            return new DependencyRange(range, true, null, false);
        }

        var minimumInclusive = range[0] == '[';
        var maximumInclusive = range[^1] == ']';
        var inner = range[1..^1];
        var comma = inner.IndexOf(',', StringComparison.Ordinal);
        if (comma < 0)
        {
            var only = inner.Trim();
            return new DependencyRange(only, minimumInclusive, only, maximumInclusive);
        }

        var minimum = inner[..comma].Trim();
        var maximum = inner[(comma + 1)..].Trim();
        return new DependencyRange(
            minimum.Length == 0 ? null : minimum, minimumInclusive, maximum.Length == 0 ? null : maximum, maximumInclusive);
    }

    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"{(MinimumInclusive ? '[' : '(')}{Minimum}, {Maximum}{(MaximumInclusive ? ']' : ')')}");
}
