using System.Globalization;
using System.Text;

namespace Tickets;

/// <summary>
/// Makes text a peer chose safe to write into a line-oriented log or a trace: a client picks its certificate's
/// subject, its server_name, its ALPN names, and parts of the error messages its mistakes cause. Written raw, a
/// newline in any of them starts a forged log line, a quote closes a quoted field early, and an escape sequence
/// drives the operator's terminal. Every such string goes through <see cref="Escape(string)"/> before it is logged.
/// </summary>
/// <remarks>
/// The result is printable ASCII only and the escaping is reversible: a backslash becomes <c>\\</c>, a double quote
/// <c>\"</c>, newline, carriage return and tab <c>\n</c>, <c>\r</c>, <c>\t</c>, other characters below U+0100
/// <c>\xHH</c> and the rest <c>\uHHHH</c> (each UTF-16 unit). Escaping the backslash itself means a subject that
/// spells out "\n" cannot pass for an escaped newline.
/// </remarks>
public static class PeerText
{
    /// <summary>Escapes <paramref name="text"/> for a log line or trace; null becomes the empty string.</summary>
    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        if (!NeedsEscaping(text))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length + 16);
        foreach (var character in text)
        {
            Append(builder, character);
        }

        return builder.ToString();
    }

    /// <summary>Escapes raw bytes from the wire (a host name, an ALPN protocol), one byte at a time.</summary>
    public static string Escape(ReadOnlySpan<byte> text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var value in text)
        {
            Append(builder, (char)value);
        }

        return builder.ToString();
    }

    private static bool NeedsEscaping(string text)
    {
        foreach (var character in text)
        {
            if (!IsPlain(character))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsPlain(char character) => character is >= ' ' and <= '~' and not '\\' and not '"';

    private static void Append(StringBuilder builder, char character)
    {
        switch (character)
        {
            case var plain when IsPlain(plain):
                builder.Append(plain);
                break;
            case '\\':
                builder.Append(@"\\");
                break;
            case '"':
                builder.Append("\\\"");
                break;
            case '\n':
                builder.Append(@"\n");
                break;
            case '\r':
                builder.Append(@"\r");
                break;
            case '\t':
                builder.Append(@"\t");
                break;
            case < (char)0x100:
                builder.Append(@"\x").Append(((int)character).ToString("x2", CultureInfo.InvariantCulture));
                break;
            default:
                builder.Append(@"\u").Append(((int)character).ToString("x4", CultureInfo.InvariantCulture));
                break;
        }
    }
}
