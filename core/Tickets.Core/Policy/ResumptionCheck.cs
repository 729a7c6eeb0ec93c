namespace Tickets.Core.Policy;

/// <summary>
/// The result of <see cref="ResumptionPolicy.Check(long, uint, uint, uint, long)"/>: the verdict and the two ages it
/// compared, kept so the shell can log why a ticket was refused. A struct, so checking allocates nothing.
/// </summary>
/// <param name="Verdict">Accept or the reason to refuse.</param>
/// <param name="ServerAgeMilliseconds">now − issue time, from the server's own clock.</param>
/// <param name="ClientAgeMilliseconds">obfuscated_ticket_age − ticket_age_add (mod 2^32), the age the client claims.</param>
public readonly record struct ResumptionCheck(ResumptionVerdict Verdict, long ServerAgeMilliseconds, uint ClientAgeMilliseconds)
{
    /// <summary>Whether the ticket may be resumed.</summary>
    public bool Accepted => Verdict == ResumptionVerdict.Accepted;
}
