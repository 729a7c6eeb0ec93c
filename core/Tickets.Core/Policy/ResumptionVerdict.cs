namespace Tickets.Core.Policy;

/// <summary>Whether a presented ticket may be resumed, and if not, why.</summary>
public enum ResumptionVerdict
{
    /// <summary>The ticket is within its lifetime and the client's age agrees with the server's.</summary>
    Accepted,

    /// <summary>The server-side age exceeds the ticket lifetime (RFC 8446 §4.6.1).</summary>
    Expired,

    /// <summary>The client's reported age differs from the server-side age by more than the tolerance.</summary>
    AgeInconsistent,

    /// <summary>The ticket claims to be issued after now: a clock step back or a forged issue time.</summary>
    IssuedInFuture,
}
