namespace Tickets.Redis;

/// <summary>What an attempt to rotate the fleet's ticket keys did.</summary>
public enum RotationOutcome
{
    /// <summary>This process held the lease and wrote a ring with a fresh key (or a first ring).</summary>
    Rotated,

    /// <summary>This process held the lease; the ring in Redis was not due (someone rotated meanwhile) and was adopted.</summary>
    NotDue,

    /// <summary>Another process holds the lease and is rotating; its ring arrives by pub/sub or the next poll.</summary>
    LeaseHeldElsewhere,

    /// <summary>The ring in Redis does not open under our KEK: it is never overwritten, since other processes may use it.</summary>
    Refused,

    /// <summary>Redis did not answer; the last known keys stay in use.</summary>
    Unavailable,
}
