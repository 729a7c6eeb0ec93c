using Tickets.Core.Model;

namespace Tickets.TicketStore;

/// <summary>How a <see cref="TicketKeyRing"/> rotates and how long retired keys keep opening tickets.</summary>
internal sealed record TicketKeyRingOptions
{
    /// <summary>Twelve hours: short enough that a stolen key exposes half a day of tickets, long enough to stay cheap.</summary>
    public static readonly TimeSpan DefaultRotationInterval = TimeSpan.FromHours(12);

    /// <summary>
    /// Seven days, the longest lifetime any ticket can carry (RFC 8446 §4.6.1): the longest a retired key may keep
    /// opening. A key the ring rotates out itself stops sooner, once the last ticket it sealed has expired; a key file's
    /// older key stops this long after the key that replaced it was created.
    /// </summary>
    public static readonly TimeSpan DefaultRetention = TimeSpan.FromSeconds(Context.MaxTicketLifetimeSeconds);

    /// <summary>
    /// How often a fresh random key takes over sealing; null turns automatic rotation off, which is what a fleet sharing
    /// a key file needs (each process rotating on its own would break resumption across the fleet).
    /// </summary>
    public TimeSpan? RotationInterval { get; init; } = DefaultRotationInterval;

    /// <summary>The longest a key keeps opening tickets after it stopped sealing (sooner when its tickets expire sooner).</summary>
    public TimeSpan Retention { get; init; } = DefaultRetention;

    /// <summary>The clock that drives rotation and retention; injectable so tests can move time.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Options for a ring fed by a key file: the file decides which keys exist, so no automatic rotation.</summary>
    public static TicketKeyRingOptions ForKeyFile(TimeProvider? timeProvider = null) =>
        new() { RotationInterval = null, TimeProvider = timeProvider ?? TimeProvider.System };
}
