namespace Tickets.Cli;

/// <summary>What the command line asked for. A closed set: the parser produces exactly one of these.</summary>
internal abstract record ParsedCommand
{
    private ParsedCommand() { }

    public sealed record ShowHelp : ParsedCommand;

    public sealed record ShowVersion : ParsedCommand;

    public sealed record Serve(ServeOptions Options) : ParsedCommand;

    /// <summary>`tickets ticket-keys generate|rotate FILE ...`: manage a fleet's key file.</summary>
    public sealed record TicketKeys(TicketKeysRequest Request) : ParsedCommand;

    /// <summary>The arguments made no sense; <paramref name="Problem"/> says why, for the usage message.</summary>
    public sealed record Invalid(string Problem) : ParsedCommand;
}
