using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Tickets.TicketStore;

/// <summary>
/// The key file a fleet of servers shares so that a ticket sealed by one resumes on any other.
/// </summary>
/// <remarks>
/// <para>Format, UTF-8 text, one item a line:</para>
/// <code>
/// tickets-ticket-keys v1
/// # comment lines and blank lines are ignored
/// BASE64 [CREATED]
/// </code>
/// <para>The first line is exactly the header, so a wrong file is recognised at once and the format can evolve. Each key
/// line holds the standard base64 of 48 bytes — the 16-byte key name followed by the 32-byte AES-256-GCM key — and
/// optionally, after one or more spaces, the key's creation time in ISO 8601 (informational, for operators judging a
/// key's age). The first key line is the current key, which seals; the others only open. At least one key is
/// required, and names must be distinct since they pick the key.</para>
/// <para>The file must be private to its owner (no group or other permission bits on Unix), as SSH insists for its
/// keys: anyone who reads it can forge tickets, anyone who writes it can plant keys. Files are written whole under a
/// temporary name and renamed into place, so a server reloading it never sees half a file.</para>
/// <para>Rotation for a fleet: <see cref="Rotate"/> puts a fresh key first and keeps the previous ones opening; every
/// server picks the change up through <see cref="TicketKeyFileWatcher"/>. Until all have reloaded, a ticket sealed
/// with the new key may meet a server that cannot open it yet, which only costs that client a full handshake.</para>
/// <para>A key stops sealing when the key before it in the file is created, so once that key's creation time is more
/// than the longest ticket lifetime (seven days) ago, no ticket it sealed can still be alive: servers then stop opening
/// with it even while the file still lists it (a file rotated rarely with <c>--keep</c> would otherwise keep old keys
/// usable for months). Keys after a key without a creation time stay until the file drops them.</para>
/// </remarks>
public static class TicketKeyFile
{
    /// <summary>The first line of every key file.</summary>
    public const string Header = "tickets-ticket-keys v1";

    private const int EntryLength = TicketKey.NameLength + TicketKey.KeyLength;

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private const UnixFileMode SharedBits =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>
    /// Writes a new key file with <paramref name="count"/> fresh random keys (the first current), mode 0600. Refuses to
    /// replace an existing file unless <paramref name="overwrite"/>: replacing a fleet's keys by accident would end
    /// every outstanding ticket. This is what <c>tickets ticket-keys generate FILE</c> calls.
    /// </summary>
    public static void Generate(string path, int count = 1, bool overwrite = false, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        var created = (timeProvider ?? TimeProvider.System).GetUtcNow();
        var text = new StringBuilder(Header).Append('\n');
        for (var i = 0; i < count; i++)
            text.Append(FreshKeyLine(created)).Append('\n');
        WriteAtomically(path, text.ToString(), overwrite);
    }

    /// <summary>
    /// Rewrites the file with a fresh current key in front of the first <paramref name="keepPrevious"/> keys it held,
    /// which keep opening the tickets they sealed; older keys are dropped and stop opening once servers reload.
    /// </summary>
    public static void Rotate(string path, int keepPrevious = 1, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentOutOfRangeException.ThrowIfNegative(keepPrevious);
        var existing = ParseLines(ReadPrivate(path), path);
        var text = new StringBuilder(Header).Append('\n')
            .Append(FreshKeyLine((timeProvider ?? TimeProvider.System).GetUtcNow())).Append('\n');
        foreach (var line in existing.Take(keepPrevious))
            text.Append(line).Append('\n');
        WriteAtomically(path, text.ToString(), overwrite: true);
    }

    /// <summary>
    /// Reads the keys of a key file, current first; the caller owns them (a <see cref="TicketKeyRing"/> takes them
    /// over). Throws <see cref="TicketKeyFileException"/> with the file, the line and the fault for any bad file.
    /// </summary>
    internal static IReadOnlyList<TicketKey> Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return Parse(ReadPrivate(path), path);
    }

    /// <summary>
    /// A ring over the file's keys that never rotates on its own: the file decides (see
    /// <see cref="TicketKeyRingOptions.ForKeyFile"/>), and older keys stop opening once their tickets cannot be alive.
    /// </summary>
    internal static TicketKeyRing LoadRing(string path, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var options = TicketKeyRingOptions.ForKeyFile(timeProvider);
        var timed = ParseTimed(ReadPrivate(path), path);
        return new TicketKeyRing(timed.Select(key => key.Key).ToArray(), options, OpensUntil(timed, options.Retention));
    }

    /// <summary>One key of a file with its creation time, when the line gives one.</summary>
    internal sealed record TimedKey(TicketKey Key, DateTimeOffset? Created);

    /// <summary>
    /// When each key stops opening: never for the first (it seals), and for each later key the creation time of the key
    /// before it (when it stopped sealing) plus <paramref name="retention"/>; null where that time is not in the file.
    /// </summary>
    internal static IReadOnlyList<DateTimeOffset?> OpensUntil(IReadOnlyList<TimedKey> keys, TimeSpan retention) =>
        keys.Select((_, i) => i > 0 && keys[i - 1].Created is { } superseded ? superseded + retention : (DateTimeOffset?)null).ToArray();

    /// <summary>The file's bytes, after checking that only its owner can reach it.</summary>
    internal static byte[] ReadPrivate(string path)
    {
        try
        {
            if (!OperatingSystem.IsWindows())
            {
                var mode = File.GetUnixFileMode(path);
                if ((mode & SharedBits) != 0)
                {
                    throw new TicketKeyFileException(
                        $"Ticket key file '{path}' is accessible to other users (mode {ModeText(mode)}); "
                        + $"keys must be private to the owner: chmod 600 '{path}'.");
                }
            }

            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new TicketKeyFileException($"Ticket key file '{path}' cannot be read: {e.Message}", e);
        }
    }

    /// <summary>Parses a key file's bytes into keys, current first, wiping the bytes afterwards.</summary>
    internal static IReadOnlyList<TicketKey> Parse(byte[] content, string source) =>
        ParseTimed(content, source).Select(key => key.Key).ToArray();

    /// <summary><see cref="Parse"/>, with each key's creation time.</summary>
    internal static IReadOnlyList<TimedKey> ParseTimed(byte[] content, string source)
    {
        var keys = new List<TimedKey>();
        try
        {
            foreach (var line in ParseLines(content, source))
                keys.Add(new TimedKey(KeyOf(line), CreatedOf(line)));
            return keys;
        }
        catch
        {
            foreach (var key in keys)
                key.Key.Dispose();
            throw;
        }
    }

    // The optional second field, already validated by ParseLines.
    private static DateTimeOffset? CreatedOf(string line)
    {
        var fields = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        return fields.Length == 2
            && DateTimeOffset.TryParse(fields[1], CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var created)
                ? created
                : null;
    }

    // The validated key lines (base64 and optional time), in file order. Wipes the raw bytes it was given.
    private static List<string> ParseLines(byte[] content, string source)
    {
        string text;
        try
        {
            text = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(content);
        }
        catch (DecoderFallbackException)
        {
            throw new TicketKeyFileException($"Ticket key file '{source}' is not UTF-8 text.");
        }
        finally
        {
            CryptographicOperations.ZeroMemory(content);
        }

        var lines = text.Split('\n');
        if (lines[0].TrimEnd('\r') != Header)
            throw new TicketKeyFileException($"Ticket key file '{source}' does not start with the header line '{Header}'.");

        var keyLines = new List<string>();
        var names = new List<byte[]>();
        for (var i = 1; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
                continue;
            var name = ValidateKeyLine(line, source, lineNumber: i + 1);
            if (names.Any(seen => CryptographicOperations.FixedTimeEquals(seen, name)))
                throw new TicketKeyFileException($"Ticket key file '{source}', line {i + 1}: a key with the same name appears earlier.");
            names.Add(name);
            keyLines.Add(line);
        }

        if (keyLines.Count == 0)
            throw new TicketKeyFileException($"Ticket key file '{source}' holds no key.");
        return keyLines;
    }

    // Checks one key line and returns the key's name; the messages say what is wrong without quoting anything.
    private static byte[] ValidateKeyLine(string line, string source, int lineNumber)
    {
        var fields = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var where = $"Ticket key file '{source}', line {lineNumber}";
        if (fields.Length > 2)
            throw new TicketKeyFileException($"{where}: expected the key in base64 and at most a creation time, found {fields.Length} fields.");
        if (fields.Length == 2
            && !DateTimeOffset.TryParse(fields[1], CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out _))
        {
            throw new TicketKeyFileException($"{where}: the creation time is not an ISO 8601 date and time.");
        }

        Span<byte> entry = stackalloc byte[EntryLength + 3];
        try
        {
            if (!Convert.TryFromBase64String(fields[0], entry, out var length))
                throw new TicketKeyFileException($"{where}: the key is not base64 of {EntryLength} bytes.");
            if (length != EntryLength)
                throw new TicketKeyFileException($"{where}: the key decodes to {length} bytes instead of {EntryLength} (16-byte name, 32-byte key).");
            return entry[..TicketKey.NameLength].ToArray();
        }
        finally
        {
            CryptographicOperations.ZeroMemory(entry);
        }
    }

    private static TicketKey KeyOf(string line)
    {
        var base64 = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[0];
        Span<byte> entry = stackalloc byte[EntryLength + 3];
        try
        {
            Convert.TryFromBase64String(base64, entry, out _);
            return new TicketKey(entry[..TicketKey.NameLength], entry[TicketKey.NameLength..EntryLength]);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(entry);
        }
    }

    private static string FreshKeyLine(DateTimeOffset created)
    {
        Span<byte> entry = stackalloc byte[EntryLength];
        RandomNumberGenerator.Fill(entry);
        try
        {
            return Convert.ToBase64String(entry) + " " + created.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(entry);
        }
    }

    // Written under a temporary name in the same directory (so the rename stays on one file system and is atomic),
    // created owner-only from the start so the keys are never readable by others, even for an instant.
    private static void WriteAtomically(string path, string text, bool overwrite)
    {
        var full = Path.GetFullPath(path);
        if (!overwrite && File.Exists(full))
            throw new TicketKeyFileException($"Ticket key file '{path}' already exists; refusing to replace a fleet's keys.");
        var directory = Path.GetDirectoryName(full) ?? ".";
        var temporary = Path.Combine(directory, $".{Path.GetFileName(full)}.{Convert.ToHexString(RandomNumberGenerator.GetBytes(6))}.tmp");
        var bytes = Encoding.UTF8.GetBytes(text);
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
            if (!OperatingSystem.IsWindows())
                options.UnixCreateMode = OwnerOnly;
            using (var stream = new FileStream(temporary, options))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }

            // The umask can only remove bits; setting the mode again makes it exactly 0600 whatever the umask.
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(temporary, OwnerOnly);
            File.Move(temporary, full, overwrite);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temporary);
            throw new TicketKeyFileException($"Ticket key file '{path}' cannot be written: {e.Message}", e);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A leftover temporary file is owner-only like the key file itself; the write error is what matters.
        }
    }

    private static string ModeText(UnixFileMode mode) => Convert.ToString((int)mode, 8).PadLeft(4, '0');
}
