using System.Globalization;
using System.Net;
using Tickets;

namespace Tickets.Cli;

/// <summary>
/// Hand-written parsing of the few flags `tickets` has: a dependency for this would be heavier than the code.
/// Accepts both "--flag value" and "--flag=value"; a repeated flag keeps its last value, as s_server does.
/// </summary>
internal static class ArgumentParser
{
    public static ParsedCommand Parse(IReadOnlyList<string> args)
    {
        if (args.Count == 0)
        {
            return new ParsedCommand.Invalid("no command given");
        }

        return args[0] switch
        {
            "--help" or "-h" or "help" => args.Count == 1
                ? new ParsedCommand.ShowHelp()
                : new ParsedCommand.Invalid($"unexpected argument '{args[1]}' after {args[0]}"),
            "--version" => args.Count == 1
                ? new ParsedCommand.ShowVersion()
                : new ParsedCommand.Invalid($"unexpected argument '{args[1]}' after --version"),
            "serve" => ParseServe(args.Skip(1).ToArray()),
            "ticket-keys" => TicketKeysCommand.Parse(args.Skip(1).ToArray()),
            var other when other.StartsWith('-') => new ParsedCommand.Invalid($"unknown option '{other}'"),
            var other => new ParsedCommand.Invalid($"unknown command '{other}'"),
        };
    }

    /// <summary>`serve`'s options; a --psk key read before the arguments turned out wrong is wiped, not left behind.</summary>
    private static ParsedCommand ParseServe(string[] args)
    {
        var options = ServeOptions.Defaults;
        var parsed = ParseServe(args, ref options);
        if (parsed is not ParsedCommand.Serve)
        {
            PskFlags.Wipe(options);
        }

        return parsed;
    }

    private static ParsedCommand ParseServe(string[] args, ref ServeOptions options)
    {
        var index = 0;
        while (index < args.Length)
        {
            var (flag, inlineValue) = SplitInlineValue(args[index]);
            index++;

            // Flags that take no value reject "--www=yes" rather than silently ignoring the value.
            if ((flag is "--help" or "-h" or "--www" or "--quiet" or "--verify" or "--Verify" or "--trace" or "--trace-secrets"
                    || TicketFlags.IsSwitch(flag) || PskFlags.IsSwitch(flag)) && inlineValue is not null)
            {
                return new ParsedCommand.Invalid($"option '{flag}' takes no value");
            }

            switch (flag)
            {
                case "--help" or "-h":
                    return new ParsedCommand.ShowHelp();
                case "--www":
                    options = options with { Www = true };
                    continue;
                case "--quiet":
                    options = options with { Quiet = true };
                    continue;
                case "--trace":
                    options = options with { Trace = true };
                    continue;
                case "--trace-secrets":
                    // Secrets are only meaningful inside a trace, so asking for them asks for the trace too.
                    options = options with { Trace = true, TraceSecrets = true };
                    continue;
                // Case matters here, as in s_server: -verify asks, -Verify requires.
                case "--verify":
                    options = options with { ClientCertificates = ClientCertificateMode.Request };
                    continue;
                case "--Verify":
                    options = options with { ClientCertificates = ClientCertificateMode.Require };
                    continue;
                case var ticketSwitch when TicketFlags.IsSwitch(ticketSwitch):
                    options = TicketFlags.ApplySwitch(options, ticketSwitch);
                    continue;
                case var pskSwitch when PskFlags.IsSwitch(pskSwitch):
                    options = PskFlags.ApplySwitch(options, pskSwitch);
                    continue;
            }

            if (!TakesValue(flag))
            {
                return new ParsedCommand.Invalid(flag.StartsWith('-')
                    ? $"unknown option '{flag}'"
                    : $"unexpected argument '{flag}'");
            }

            string value;
            if (inlineValue is not null)
            {
                value = inlineValue;
            }
            else if (index < args.Length)
            {
                value = args[index];
                index++;
            }
            else
            {
                return new ParsedCommand.Invalid($"option '{flag}' needs a value");
            }

            var applied = Apply(options, flag, value);
            if (applied.Problem is not null)
            {
                return new ParsedCommand.Invalid(applied.Problem);
            }

            options = applied.Options;
        }

        // A certificate without its key (or the reverse) cannot be served; say so instead of guessing.
        if ((options.CertificatePath is null) != (options.KeyPath is null))
        {
            return new ParsedCommand.Invalid("--cert and --key must be given together");
        }

        // The path is only ever looked at by the page server; accepting it silently in echo mode would mislead.
        if (options.PhaPath is not null && !options.Www)
        {
            return new ParsedCommand.Invalid("--pha-path needs --www");
        }

        if ((TicketFlags.Validate(options) ?? PskFlags.Validate(options)) is { } conflict)
        {
            return new ParsedCommand.Invalid(conflict);
        }

        return new ParsedCommand.Serve(options);
    }

    private static bool TakesValue(string flag) => TicketFlags.TakesValue(flag) || PskFlags.TakesValue(flag) || flag is
        "--port" or "--accept" or "--host" or "--cert" or "--key" or "--num-tickets" or "--session-timeout" or "--ca" or "--pha-path"
        or "--handshake-timeout" or "--max-connections" or "--idle-timeout" or "--write-timeout" or "--keylog" or "--max-handshake-message" or "--groups";

    private static (ServeOptions Options, string? Problem) Apply(ServeOptions options, string flag, string value)
    {
        switch (flag)
        {
            case "--port" or "--accept":
                return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port <= IPEndPoint.MaxPort
                    ? (options with { Port = port }, null)
                    : (options, $"{flag} needs a port number from 0 to {IPEndPoint.MaxPort}, not '{value}'");
            case "--host":
                var address = value == "localhost" ? IPAddress.Loopback : IPAddress.TryParse(value, out var parsed) ? parsed : null;
                return address is not null
                    ? (options with { Address = address }, null)
                    : (options, $"--host needs an IP address (or localhost), not '{value}'");
            case "--cert":
                return value.Length > 0 ? (options with { CertificatePath = value }, null) : (options, "--cert needs a file name");
            case "--key":
                return value.Length > 0 ? (options with { KeyPath = value }, null) : (options, "--key needs a file name");
            case "--ca":
                return value.Length > 0 ? (options with { CaPath = value }, null) : (options, "--ca needs a file name");
            case "--pha-path":
                return value.StartsWith('/')
                    ? (options with { PhaPath = value }, null)
                    : (options, $"--pha-path needs an absolute URL path such as /secret, not '{value}'");
            case "--num-tickets":
                // NumberStyles.AllowLeadingSign so "-1" is reported as negative rather than as "not a number".
                if (!int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var count))
                {
                    return (options, $"--num-tickets needs a whole number, not '{value}'");
                }

                return count < 0
                    ? (options, $"--num-tickets cannot be negative ({count})")
                    : (options with { NumTickets = count }, null);
            case "--session-timeout":
                if (!long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seconds))
                {
                    return (options, $"--session-timeout needs a number of seconds, not '{value}'");
                }

                return seconds is < 0 or > uint.MaxValue
                    ? (options, $"--session-timeout must be from 0 to {uint.MaxValue} seconds ({seconds})")
                    : (options with { SessionTimeoutSeconds = (uint)seconds }, null);
            case "--handshake-timeout":
                return PositiveSeconds(value) is { } handshake
                    ? (options with { HandshakeTimeout = handshake }, null)
                    : (options, $"{flag} needs a whole number of seconds from 1 to {MaxTimeoutSeconds}, not '{value}'");
            case "--idle-timeout":
                return PositiveSeconds(value) is { } idle
                    ? (options with { IdleTimeout = idle }, null)
                    : (options, $"{flag} needs a whole number of seconds from 1 to {MaxTimeoutSeconds}, not '{value}'");
            case "--write-timeout":
                return PositiveSeconds(value) is { } write
                    ? (options with { WriteTimeout = write }, null)
                    : (options, $"{flag} needs a whole number of seconds from 1 to {MaxTimeoutSeconds}, not '{value}'");
            case "--max-connections":
                return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) && limit > 0
                    ? (options with { MaxConnections = limit }, null)
                    : (options, $"--max-connections needs a whole number of at least 1, not '{value}'");
            case "--groups":
                return Tickets.Core.Negotiation.GroupNames.ParseList(value).Match(
                    groups => (options with { Groups = groups.ToArray() }, (string?)null),
                    error => (options, $"--groups: {error.Message}"));
            case "--keylog":
                return value.Length > 0 ? (options with { KeyLogPath = value }, null) : (options, "--keylog needs a file name");
            case "--max-handshake-message":
                return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var bytes)
                    && bytes is >= TicketServerContext.MinHandshakeMessageLength and <= MaxHandshakeMessageBytes
                    ? (options with { MaxHandshakeMessage = bytes }, null)
                    : (options, $"{flag} needs a number of bytes from {TicketServerContext.MinHandshakeMessageLength} to {MaxHandshakeMessageBytes}, not '{value}'");
            case var psk when PskFlags.TakesValue(psk):
                return PskFlags.Apply(options, flag, value);
            default:
                return TicketFlags.Apply(options, flag, value);
        }
    }

    /// <summary>What a handshake message's 3-byte length field can say.</summary>
    private const int MaxHandshakeMessageBytes = 0xFFFFFF;

    /// <summary>A day: longer would only disable the limit by accident; CancelAfter also caps what it accepts.</summary>
    private const int MaxTimeoutSeconds = 86400;

    /// <summary>
    /// Timeouts are whole seconds, at least 1: zero would drop every client before its first byte, and a limit
    /// that can be switched off is one a misconfiguration switches off.
    /// </summary>
    private static TimeSpan? PositiveSeconds(string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds is >= 1 and <= MaxTimeoutSeconds
            ? TimeSpan.FromSeconds(seconds)
            : null;

    /// <summary>"--port=4433" becomes ("--port", "4433"); anything else is returned unchanged with no value.</summary>
    private static (string Flag, string? Value) SplitInlineValue(string argument)
    {
        if (!argument.StartsWith("--", StringComparison.Ordinal))
        {
            return (argument, null);
        }

        var equals = argument.IndexOf('=');
        return equals < 0 ? (argument, null) : (argument[..equals], argument[(equals + 1)..]);
    }
}
