namespace Tickets.Tests.Soak;

/// <summary>What one soak run saw; <see cref="ToString"/> is the block the script prints.</summary>
public sealed record SoakReport(
    SoakSettings Settings,
    TimeSpan Elapsed,
    int Handshakes,
    int Resumed,
    int Full,
    int Failures,
    int Mismatches,
    string? FirstFailure,
    ProcessFigures Before,
    ProcessFigures During,
    ProcessFigures After,
    int OtherServerLines)
{
    public override string ToString() => $"""
        soak: {Settings.Clients} clients for {Settings.Duration.TotalSeconds:0} s (ran {Elapsed.TotalSeconds:0.0} s)
        handshakes: {Handshakes} ({Handshakes / Elapsed.TotalSeconds:0.0}/s), server saw {Full} full + {Resumed} resumed
        failures: {Failures}{(FirstFailure is null ? "" : $" (first: {FirstFailure})")}
        payload mismatches: {Mismatches}
        server before: {Before}
        server at end: {During}
        server after:  {After}
        server lines other than connection lines: {OtherServerLines}
        """;
}
