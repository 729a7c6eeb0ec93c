namespace Tickets.Tests.KeysAndReuse;

/// <summary>The key names in a key file, read the way the format documents it (header, then base64 name||key lines).</summary>
internal static class KeyFileLines
{
    public static IReadOnlyList<byte[]> Names(string path) => KeyLines(path).Select(line => Convert.FromBase64String(line)[..16]).ToArray();

    /// <summary>The base64 of each key line (name and key): what must never appear in a log.</summary>
    public static IReadOnlyList<string> KeyLines(string path)
    {
        var lines = File.ReadAllLines(path);
        Assert.Equal("tickets-ticket-keys v1", lines[0]);
        return lines.Skip(1)
            .Select(line => line.Trim())
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0])
            .ToArray();
    }
}
