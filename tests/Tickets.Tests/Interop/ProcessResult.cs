namespace Tickets.Tests.Interop;

/// <summary>How an external program ended and what it printed.</summary>
public sealed record ProcessResult(string Program, int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>Everything the program printed, for assertion messages.</summary>
    public string Describe() =>
        $"{Program} exited {ExitCode}\n--- stdout ---\n{StandardOutput}\n--- stderr ---\n{StandardError}";
}
