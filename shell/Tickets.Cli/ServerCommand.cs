using System.Globalization;

namespace Tickets.Cli;

/// <summary>One line typed on the server's standard input, in the manner of openssl s_server. A closed set.</summary>
internal abstract record ServerCommand
{
    private ServerCommand() { }

    /// <summary>c: ask the client for a certificate now (SSL_verify_client_post_handshake).</summary>
    public sealed record RequestCertificate : ServerCommand;

    /// <summary>n N: this connection's count (SSL_set_num_tickets).</summary>
    public sealed record SetConnectionCount(int Count) : ServerCommand;

    /// <summary>N N: the count for connections accepted from now on (SSL_CTX_set_num_tickets).</summary>
    public sealed record SetContextCount(int Count) : ServerCommand;

    /// <summary>t or t N: send tickets now (SSL_new_session_ticket, N times).</summary>
    public sealed record SendTickets(int Count) : ServerCommand;

    /// <summary>q: stop the server.</summary>
    public sealed record Quit : ServerCommand;

    /// <summary>Anything else: <paramref name="Problem"/> says what was wrong, for the acknowledgement.</summary>
    public sealed record Invalid(string Problem) : ServerCommand;

    /// <summary>Parses one line; blank lines give null (nothing to acknowledge).</summary>
    public static ServerCommand? Parse(string line)
    {
        var words = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0)
        {
            return null;
        }

        // s_server's letters are case-sensitive ("n" and "N" differ), so these are too.
        return (words[0], words.Length) switch
        {
            ("c", 1) => new RequestCertificate(),
            ("q", 1) => new Quit(),
            ("t", 1) => new SendTickets(1),
            ("t", 2) => WithCount(words[1], count => new SendTickets(count)),
            ("n", 2) => WithCount(words[1], count => new SetConnectionCount(count)),
            ("N", 2) => WithCount(words[1], count => new SetContextCount(count)),
            ("n" or "N", _) => new Invalid($"'{words[0]}' needs one count, e.g. '{words[0]} 3'"),
            ("c" or "q" or "t", _) => new Invalid($"'{words[0]}' takes {(words[0] == "t" ? "at most one count" : "no argument")}"),
            _ => new Invalid($"unknown command '{words[0]}' (commands: c, n N, N N, t [N], q)"),
        };
    }

    private static ServerCommand WithCount(string text, Func<int, ServerCommand> make) =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var count)
            ? count < 0 ? new Invalid($"the count cannot be negative ({count})") : make(count)
            : new Invalid($"'{text}' is not a whole number");
}
