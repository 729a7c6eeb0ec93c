using System.Globalization;

namespace Tickets.Tests.Soak;

/// <summary>How many clients for how long. The CI test uses the short defaults; tests/bench/soak.sh sets the long ones.</summary>
public sealed record SoakSettings(int Clients, TimeSpan Duration)
{
    public static SoakSettings Short { get; } = new(20, TimeSpan.FromSeconds(5));

    /// <summary>SOAK_CLIENTS and SOAK_SECONDS override the short run (the script's long run sets them).</summary>
    public static SoakSettings FromEnvironment() => new(
        Read("SOAK_CLIENTS") ?? Short.Clients,
        Read("SOAK_SECONDS") is { } seconds ? TimeSpan.FromSeconds(seconds) : Short.Duration);

    private static int? Read(string name) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : null;
}
