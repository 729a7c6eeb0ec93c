using System.Globalization;

namespace Tickets.Tests.Crypto;

/// <summary>
/// Reads the example values out of RFC 8448 ("Example Handshake Traces for TLS 1.3") so tests compare
/// against the published bytes rather than copies typed by hand. A value is addressed by section,
/// step line (e.g. <c>{server}  derive secret "tls13 c hs traffic"</c>) and field label (e.g. <c>expanded</c>).
/// </summary>
internal static class Rfc8448
{
    private static readonly Lazy<string[]> Lines = new(() => File.ReadAllLines(Locate()));

    /// <summary>The n-th (from 0) occurrence of <paramref name="step"/> in the section, then its first <paramref name="field"/>.</summary>
    public static byte[] Value(int section, string step, string field, int occurrence = 0)
    {
        var lines = Lines.Value;
        var (start, end) = SectionBounds(lines, section);
        int seen = 0;
        for (int i = start; i < end; i++)
        {
            if (!lines[i].Trim().StartsWith(step, StringComparison.Ordinal))
                continue;
            if (seen++ < occurrence)
                continue;
            return FieldAfter(lines, i + 1, end, field)
                ?? throw new InvalidOperationException($"RFC 8448 §{section}: step '{step}' has no field '{field}'.");
        }
        throw new InvalidOperationException($"RFC 8448 §{section}: step '{step}' (occurrence {occurrence}) not found.");
    }

    private static (int Start, int End) SectionBounds(string[] lines, int section)
    {
        int start = Array.FindIndex(lines, l => l.StartsWith($"{section}.  ", StringComparison.Ordinal));
        int end = Array.FindIndex(lines, start + 1, l => l.StartsWith($"{section + 1}.  ", StringComparison.Ordinal));
        if (start < 0)
            throw new InvalidOperationException($"RFC 8448 has no section {section}.");
        return (start, end < 0 ? lines.Length : end);
    }

    /// <summary>
    /// Finds "field (N octets):" before the next step line and collects N bytes of hex, skipping the page
    /// footers and headers that can interrupt a value.
    /// </summary>
    private static byte[]? FieldAfter(string[] lines, int from, int end, string field)
    {
        string prefix = field + " (";
        for (int i = from; i < end && !lines[i].TrimStart().StartsWith('{'); i++)
        {
            var line = lines[i].Trim();
            if (!line.StartsWith(prefix, StringComparison.Ordinal))
                continue;
            int close = line.IndexOf(" octets):", StringComparison.Ordinal);
            int count = int.Parse(line.AsSpan(prefix.Length, close - prefix.Length), CultureInfo.InvariantCulture);
            var bytes = new List<byte>(count);
            AddHex(line[(close + " octets):".Length)..], bytes);
            for (int j = i + 1; bytes.Count < count && j < end; j++)
                AddHex(lines[j], bytes);
            if (bytes.Count != count)
                throw new InvalidOperationException($"RFC 8448: field '{field}' has {bytes.Count} bytes, expected {count}.");
            return bytes.ToArray();
        }
        return null;
    }

    /// <summary>Adds the line's bytes if it consists only of two-digit hex tokens (value lines); other lines are ignored.</summary>
    private static void AddHex(string line, List<byte> bytes)
    {
        var tokens = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (tokens.Length == 0 || !tokens.All(t => t.Length == 2 && t.All(char.IsAsciiHexDigit)))
            return;
        foreach (var token in tokens)
            bytes.Add(byte.Parse(token, NumberStyles.HexNumber, CultureInfo.InvariantCulture));
    }

    /// <summary>The copy of the RFC kept with the other test data, under tests/fixtures/rfc.</summary>
    private static string Locate() => Path.Combine(Tickets.Tests.Protocol.TestData.ReferenceDirectory, "rfc8448.txt");
}
