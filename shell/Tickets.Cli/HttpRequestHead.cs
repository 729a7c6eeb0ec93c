using System.Text;

namespace Tickets.Cli;

/// <summary>
/// The request line of an HTTP/1.0 or 1.1 request, read just far enough to answer it: --www serves one page per
/// connection, so headers are skipped and a body (which a GET does not have) is never read.
/// </summary>
internal sealed record HttpRequestHead(string Method, string Target, string Version)
{
    /// <summary>Cap on the request head: a peer that never ends its headers must not make us buffer without bound.</summary>
    public const int MaxHeadBytes = 16 * 1024;

    /// <summary>Where the head ends (index just past the blank line), or -1 if it has not ended in <paramref name="received"/>.</summary>
    public static int FindEnd(ReadOnlySpan<byte> received)
    {
        // Tolerate bare LF line ends as well as CRLF, as most servers do.
        var crlf = received.IndexOf("\r\n\r\n"u8);
        var lf = received.IndexOf("\n\n"u8);
        return (crlf, lf) switch
        {
            (< 0, < 0) => -1,
            (>= 0, < 0) => crlf + 4,
            (< 0, >= 0) => lf + 2,
            _ => Math.Min(crlf + 4, lf + 2),
        };
    }

    /// <summary>Parses the first line of a complete head; null when it is not "METHOD TARGET HTTP/1.x".</summary>
    public static HttpRequestHead? Parse(ReadOnlySpan<byte> head)
    {
        var lineEnd = head.IndexOf((byte)'\n');
        var line = Encoding.ASCII.GetString(lineEnd < 0 ? head : head[..lineEnd]).TrimEnd('\r');
        var parts = line.Split(' ');
        if (parts.Length != 3 || parts[0].Length == 0 || parts[1].Length == 0)
        {
            return null;
        }

        return parts[2] is "HTTP/1.0" or "HTTP/1.1" ? new HttpRequestHead(parts[0], parts[1], parts[2]) : null;
    }
}
