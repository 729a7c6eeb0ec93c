namespace Tickets.Core.Policy;

/// <summary>Human sentences for <see cref="ResumptionVerdict"/>.</summary>
public static class ResumptionVerdicts
{
    /// <summary>One sentence explaining the verdict, suitable for a log line.</summary>
    public static string Describe(this ResumptionVerdict verdict) => verdict switch
    {
        ResumptionVerdict.Accepted => "The ticket is fresh and the client's age agrees with the server's; resume.",
        ResumptionVerdict.Expired => "The ticket is older than its lifetime; fall back to a full handshake.",
        ResumptionVerdict.AgeInconsistent =>
            "The client's ticket age differs from the server's by more than the tolerance; fall back to a full handshake.",
        ResumptionVerdict.IssuedInFuture => "The ticket's issue time is after now; fall back to a full handshake.",
        _ => $"Unknown resumption verdict {(int)verdict}.",
    };
}
