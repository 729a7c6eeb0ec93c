using System.Globalization;
using Tickets.TicketStore;

namespace Tickets.Cli;

/// <summary>What `tickets ticket-keys` was asked to do.</summary>
/// <param name="Action">"generate" or "rotate".</param>
/// <param name="Path">The key file.</param>
/// <param name="Count">generate: how many keys (the first is current); rotate: how many previous keys to keep.</param>
/// <param name="Force">generate: replace an existing file.</param>
internal sealed record TicketKeysRequest(string Action, string Path, int Count, bool Force);

/// <summary>
/// `tickets ticket-keys generate FILE [--count N] [--force]` writes a fresh key file (mode 0600, current key first);
/// `tickets ticket-keys rotate FILE [--keep N]` puts a fresh key first and keeps N previous ones (default 1), which
/// every `tickets serve --ticket-keys FILE` picks up while running. Neither ever prints a key.
/// </summary>
internal static class TicketKeysCommand
{
    /// <summary>More keys than this is a typo, not a plan: each one only opens tickets for at most seven days.</summary>
    private const int MaxKeys = 1000;

    public static ParsedCommand Parse(string[] args)
    {
        if (args.Length == 0 || args[0] is not ("generate" or "rotate"))
        {
            return new ParsedCommand.Invalid(args.Length == 0
                ? "ticket-keys needs an action: generate or rotate"
                : $"unknown ticket-keys action '{args[0]}' (generate or rotate)");
        }

        var action = args[0];
        string? path = null;
        var count = 1;
        var force = false;
        for (var index = 1; index < args.Length; index++)
        {
            var argument = args[index];
            switch (argument)
            {
                case "--force" when action == "generate":
                    force = true;
                    continue;
                case "--count" when action == "generate":
                case "--keep" when action == "rotate":
                    if (index + 1 >= args.Length)
                    {
                        return new ParsedCommand.Invalid($"option '{argument}' needs a value");
                    }

                    var value = args[++index];
                    var minimum = action == "generate" ? 1 : 0;
                    if (!int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out count)
                        || count < minimum || count > MaxKeys)
                    {
                        return new ParsedCommand.Invalid($"{argument} needs a number from {minimum} to {MaxKeys}, not '{value}'");
                    }

                    continue;
            }

            if (argument.StartsWith('-') || path is not null)
            {
                return new ParsedCommand.Invalid(argument.StartsWith('-')
                    ? $"unknown option '{argument}' for ticket-keys {action}"
                    : $"unexpected argument '{argument}'");
            }

            path = argument;
        }

        return path is null
            ? new ParsedCommand.Invalid($"ticket-keys {action} needs a FILE")
            : new ParsedCommand.TicketKeys(new TicketKeysRequest(action, path, count, force));
    }

    public static int Run(TicketKeysRequest request, TextWriter output, TextWriter errors)
    {
        try
        {
            if (request.Action == "generate")
            {
                TicketKeyFile.Generate(request.Path, request.Count, request.Force);
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"tickets: wrote {request.Count} ticket key{(request.Count == 1 ? "" : "s")} to {request.Path} (mode 0600, the first one seals)"));
            }
            else
            {
                TicketKeyFile.Rotate(request.Path, request.Count);
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"tickets: {request.Path} now seals with a fresh key; {request.Count} previous key{(request.Count == 1 ? "" : "s")} kept for opening"));
            }

            return ExitCodes.Ok;
        }
        catch (TicketKeyFileException error)
        {
            // The messages name the file and the fault, never key material.
            errors.WriteLine($"tickets: {error.Message}");
            return ExitCodes.Failure;
        }
    }
}
