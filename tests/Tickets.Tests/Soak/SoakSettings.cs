using System.Globalization;

namespace Tickets.Tests.Soak;

/// <summary>
/// How many clients for how long, in how many phases against the same server process. The CI test uses the short
/// defaults; tests/bench/soak.sh sets the long ones. Several phases tell memory the runtime keeps after a peak (it
/// stays flat from the second phase on) from a leak (it grows with every phase).
/// </summary>
public sealed record SoakSettings(int Clients, TimeSpan Duration, int Phases)
{
    public static SoakSettings Short { get; } = new(20, TimeSpan.FromSeconds(3), 2);

    /// <summary>SOAK_CLIENTS, SOAK_SECONDS (per phase) and SOAK_PHASES override the short run.</summary>
    public static SoakSettings FromEnvironment() => new(
        Read("SOAK_CLIENTS") ?? Short.Clients,
        Read("SOAK_SECONDS") is { } seconds ? TimeSpan.FromSeconds(seconds) : Short.Duration,
        Read("SOAK_PHASES") ?? Short.Phases);

    private static int? Read(string name) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : null;
}
