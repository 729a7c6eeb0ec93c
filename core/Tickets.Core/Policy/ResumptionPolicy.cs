namespace Tickets.Core.Policy;

/// <summary>
/// Whether a ticket a client presents may still be resumed. Pure: the caller supplies the time, so the core never
/// reads a clock.
/// </summary>
/// <remarks>
/// <para>Lifetime: refused when the server-side age, in milliseconds, exceeds the ticket lifetime in seconds × 1000
/// (RFC 8446 §4.6.1; OpenSSL compares the same quantities in whole seconds).</para>
/// <para>Age consistency: the client's age is obfuscated_ticket_age − ticket_age_add modulo 2^32 (RFC 8446 §4.2.11.1).
/// It is accepted when it lies within <see cref="DefaultAgeToleranceMilliseconds"/> (10 s) of the server-side age in
/// either direction. 10 s is OpenSSL's TICKET_AGE_ALLOWANCE. OpenSSL uses that window only to decide whether early data
/// may be accepted; Tickets does not accept early data, so it applies the window to resumption itself: a client whose
/// age is that far off is replaying or has a broken clock, and refusing only costs a full handshake.</para>
/// </remarks>
public static class ResumptionPolicy
{
    /// <summary>The accepted gap between the client's and the server's view of a ticket's age: OpenSSL's 10 s.</summary>
    public const uint DefaultAgeToleranceMilliseconds = 10_000;

    /// <summary>Checks a ticket with the default 10 s tolerance.</summary>
    /// <param name="issuedAtMilliseconds">When the server issued the ticket, on the server's clock (ms).</param>
    /// <param name="lifetimeSeconds">The ticket_lifetime the ticket was issued with.</param>
    /// <param name="ageAdd">The ticket_age_add the ticket was issued with.</param>
    /// <param name="obfuscatedTicketAge">The obfuscated_ticket_age from the client's pre_shared_key identity.</param>
    /// <param name="nowMilliseconds">The current time on the same clock as <paramref name="issuedAtMilliseconds"/>.</param>
    public static ResumptionCheck Check(
        long issuedAtMilliseconds, uint lifetimeSeconds, uint ageAdd, uint obfuscatedTicketAge, long nowMilliseconds) =>
        Check(issuedAtMilliseconds, lifetimeSeconds, ageAdd, obfuscatedTicketAge, nowMilliseconds, DefaultAgeToleranceMilliseconds);

    /// <summary>Checks a ticket with an explicit tolerance, for servers with looser or stricter clocks.</summary>
    public static ResumptionCheck Check(
        long issuedAtMilliseconds,
        uint lifetimeSeconds,
        uint ageAdd,
        uint obfuscatedTicketAge,
        long nowMilliseconds,
        uint toleranceMilliseconds)
    {
        // Unchecked: the obfuscation is defined as addition modulo 2^32, so wrapping is the intended arithmetic.
        var clientAge = unchecked(obfuscatedTicketAge - ageAdd);

        if (nowMilliseconds < issuedAtMilliseconds)
        {
            return new ResumptionCheck(ResumptionVerdict.IssuedInFuture, 0, clientAge);
        }

        // now >= issued here, yet the difference still overflows long when the issue time is hugely negative;
        // saturate rather than wrap so a bogus issue time reads as "very old" and expires.
        var serverAge = nowMilliseconds - issuedAtMilliseconds;
        if (serverAge < 0)
        {
            serverAge = long.MaxValue;
        }

        if (serverAge > lifetimeSeconds * 1000L)
        {
            return new ResumptionCheck(ResumptionVerdict.Expired, serverAge, clientAge);
        }

        var gap = Math.Abs(serverAge - clientAge);
        return gap > toleranceMilliseconds
            ? new ResumptionCheck(ResumptionVerdict.AgeInconsistent, serverAge, clientAge)
            : new ResumptionCheck(ResumptionVerdict.Accepted, serverAge, clientAge);
    }
}
