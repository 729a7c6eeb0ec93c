namespace Tickets.Redis;

/// <summary>What a fleet lookup found.</summary>
internal enum FleetStatus
{
    /// <summary>Redis answered and held a value that opened under the KEK.</summary>
    Found,

    /// <summary>Redis answered and held nothing usable: never stored, expired, taken, or not sealed under our KEK.</summary>
    Missing,

    /// <summary>Redis did not answer in time; the caller falls back (full handshake, last known keys).</summary>
    Unavailable,
}

/// <summary>The outcome of reading a sealed value: the plaintext only when <see cref="Status"/> is Found.</summary>
internal readonly record struct FleetLookup(FleetStatus Status, byte[]? Value)
{
    public static FleetLookup Missing => new(FleetStatus.Missing, null);

    public static FleetLookup Unavailable => new(FleetStatus.Unavailable, null);

    public static FleetLookup Found(byte[] value) => new(FleetStatus.Found, value);
}
