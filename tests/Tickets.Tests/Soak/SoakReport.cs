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
    IReadOnlyList<SoakPhase> Phases,
    int OtherServerLines)
{
    public override string ToString() => $"""
        soak: {Settings.Clients} clients, {Settings.Phases} phase(s) of {Settings.Duration.TotalSeconds:0} s against one server (ran {Elapsed.TotalSeconds:0.0} s)
        handshakes: {Handshakes} ({Handshakes / Elapsed.TotalSeconds:0.0}/s), server saw {Full} full + {Resumed} resumed
        failures: {Failures}{(FirstFailure is null ? "" : $" (first: {FirstFailure})")}
        payload mismatches: {Mismatches}
        server before: {Before}
        server at end: {During}
        server after:  {After}{(After.OpenDescriptors > Before.OpenDescriptors ? $" — opened since before: {string.Join(", ", After.OpenedSince(Before))}" : "")}
        server lines other than connection lines: {OtherServerLines}
        {string.Join(Environment.NewLine, Phases)}
        """;
}

/// <summary>One phase of load and the server's figures at its end and once it settled.</summary>
public sealed record SoakPhase(int Number, int Handshakes, ProcessFigures AtEnd, ProcessFigures Settled)
{
    public override string ToString() => $"phase {Number}: {Handshakes} handshakes; at end {AtEnd}; settled {Settled}";
}
