namespace Tickets.Cli;

/// <summary>Process exit codes; 2 for usage errors follows the common Unix convention (grep, curl's bad-option code aside).</summary>
internal static class ExitCodes
{
    public const int Ok = 0;
    public const int Failure = 1;
    public const int Usage = 2;
}
