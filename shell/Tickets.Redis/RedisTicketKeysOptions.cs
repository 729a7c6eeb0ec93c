using Tickets.TicketStore;

namespace Tickets.Redis;

/// <summary>How the fleet's ticket key ring rotates and how quickly processes follow it.</summary>
internal sealed record RedisTicketKeysOptions
{
    /// <summary>Five seconds: a GET and a decryption of a few hundred bytes, cheap enough to do often.</summary>
    public static readonly TimeSpan DefaultPollInterval = TimeSpan.FromSeconds(5);

    /// <summary>How often the fleet rotates; null leaves rotation to <see cref="RedisTicketKeys.RotateNowAsync"/>.</summary>
    public TimeSpan? RotationInterval { get; init; } = TicketKeyRingOptions.DefaultRotationInterval;

    /// <summary>How long a key opens tickets after it stopped sealing: at least the ticket lifetime.</summary>
    public TimeSpan Retention { get; init; } = TicketKeyRingOptions.DefaultRetention;

    /// <summary>How often every process reads the ring from Redis; pub/sub usually tells it sooner.</summary>
    public TimeSpan PollInterval { get; init; } = DefaultPollInterval;

    /// <summary>
    /// How long after a rotation the new key starts sealing. Two poll intervals: even a process that missed the
    /// pub/sub message has learnt the key (and opens with it) by then.
    /// </summary>
    public TimeSpan? ActivationDelay { get; init; }

    /// <summary>The lease's expiry: far longer than a rotation takes (three bounded Redis calls).</summary>
    public TimeSpan LeaseTime { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>The clock of rotation, activation and retention: the server's.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    internal TimeSpan EffectiveActivationDelay => ActivationDelay ?? 2 * PollInterval;
}
