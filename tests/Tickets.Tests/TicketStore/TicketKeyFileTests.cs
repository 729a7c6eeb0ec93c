using System.Runtime.Versioning;
using System.Text;
using LanguageExt;
using Tickets.TicketStore;

namespace Tickets.Tests.TicketsLifecycle;

// File modes are part of what these tests check; the servers they serve run on Unix.
[UnsupportedOSPlatform("windows")]
[Trait("Category", TestCategory.Unit)]
public sealed class TicketKeyFileTests : IDisposable
{
    private static readonly byte[] State = Encoding.ASCII.GetBytes("a session");
    private readonly DirectoryInfo directory = Directory.CreateTempSubdirectory("tickets-keyfile-");

    private string PathOf(string name) => Path.Combine(directory.FullName, name);

    private static string KeyLine(byte fill) => Convert.ToBase64String(Enumerable.Repeat(fill, 48).ToArray());

    private string WritePrivate(string name, string text)
    {
        var path = PathOf(name);
        File.WriteAllText(path, text);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return path;
    }

    public void Dispose() => directory.Delete(recursive: true);

    [Fact]
    public void Generate_writes_an_owner_only_file_with_the_header_and_the_keys_current_first()
    {
        var path = PathOf("keys");

        TicketKeyFile.Generate(path, count: 3);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        var lines = File.ReadAllLines(path);
        Assert.Equal(TicketKeyFile.Header, lines[0]);
        Assert.Equal(4, lines.Length);
        Assert.All(lines[1..], line => Assert.Matches(@"^[A-Za-z0-9+/]{64} \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", line));
        var keys = TicketKeyFile.Load(path);
        Assert.Equal(3, keys.Count);
        Assert.Equal(Convert.FromBase64String(lines[1].Split(' ')[0])[..16], keys[0].Name.ToArray());
        Assert.Single(directory.GetFiles());
        foreach (var key in keys)
            key.Dispose();
    }

    [Fact]
    public void Generate_refuses_to_replace_an_existing_file_unless_told_to()
    {
        var path = PathOf("keys");
        TicketKeyFile.Generate(path);
        var before = File.ReadAllText(path);

        var error = Assert.Throws<TicketKeyFileException>(() => TicketKeyFile.Generate(path));

        Assert.Contains("already exists", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllText(path));
        TicketKeyFile.Generate(path, overwrite: true);
        Assert.NotEqual(before, File.ReadAllText(path));
        Assert.Single(directory.GetFiles());
    }

    [Fact]
    public void Two_servers_with_the_same_file_open_each_others_tickets_and_a_third_without_it_does_not()
    {
        var path = PathOf("fleet");
        TicketKeyFile.Generate(path);
        TicketKeyFile.Generate(PathOf("other"));
        using var first = TicketKeyFile.LoadRing(path);
        using var second = TicketKeyFile.LoadRing(path);
        using var third = TicketKeyFile.LoadRing(PathOf("other"));

        var ticket = first.Seal(State, first.Retention);

        Assert.True(second.TryOpen(ticket).Exists(opened => opened.SequenceEqual(State)));
        Assert.True(first.TryOpen(second.Seal(State, second.Retention)).IsSome);
        Assert.True(third.TryOpen(ticket).IsNone);
    }

    [Fact]
    public void Rotate_puts_a_fresh_key_first_and_keeps_the_requested_number_of_previous_keys()
    {
        var path = PathOf("keys");
        TicketKeyFile.Generate(path);
        using var ring = TicketKeyFile.LoadRing(path);
        var before = ring.Seal(State, ring.Retention);
        var original = File.ReadAllLines(path)[1];

        TicketKeyFile.Rotate(path);
        ring.Replace(TicketKeyFile.Load(path));

        var lines = File.ReadAllLines(path);
        Assert.Equal(3, lines.Length);
        Assert.Equal(original, lines[2]);
        Assert.True(ring.TryOpen(before).IsSome);
        Assert.NotEqual(before[..16], ring.Seal(State, ring.Retention)[..16]);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));

        TicketKeyFile.Rotate(path, keepPrevious: 0);
        ring.Replace(TicketKeyFile.Load(path));

        Assert.Equal(2, File.ReadAllLines(path).Length);
        Assert.True(ring.TryOpen(before).IsNone);
        Assert.Single(directory.GetFiles());
    }

    [Fact]
    public void Comments_blank_lines_crlf_and_missing_times_are_accepted()
    {
        var path = WritePrivate("keys", $"{TicketKeyFile.Header}\r\n# fleet keys\r\n\r\n{KeyLine(1)}\r\n  {KeyLine(2)}   2024-05-01T10:00:00Z\r\n");

        var keys = TicketKeyFile.Load(path);

        Assert.Equal([Enumerable.Repeat((byte)1, 16).ToArray(), Enumerable.Repeat((byte)2, 16).ToArray()], keys.Select(k => k.Name.ToArray()));
        foreach (var key in keys)
            key.Dispose();
    }

    public static TheoryData<string, string> BadFiles() => new()
    {
        { "", "does not start with the header" },
        { $"tickets-ticket-keys v2\n{KeyLine(1)}\n", "does not start with the header" },
        { $"{TicketKeyFile.Header}\n# nothing here\n", "holds no key" },
        { $"{TicketKeyFile.Header}\n{KeyLine(1)[..60]}!!!!\n", "line 2: the key is not base64" },
        { $"{TicketKeyFile.Header}\n{Convert.ToBase64String(new byte[40])}\n", "line 2: the key decodes to 40 bytes" },
        { $"{TicketKeyFile.Header}\n{KeyLine(1)}\n\n{KeyLine(1)}\n", "line 4: a key with the same name" },
        { $"{TicketKeyFile.Header}\n{KeyLine(1)} yesterday\n", "line 2: the creation time" },
        { $"{TicketKeyFile.Header}\n{KeyLine(1)} 2024-01-01T00:00:00Z extra\n", "line 2: expected the key in base64" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void Bad_files_are_refused_with_the_line_and_fault_but_never_the_key(string text, string expected)
    {
        var path = WritePrivate("bad", text);

        var error = Assert.Throws<TicketKeyFileException>(() => TicketKeyFile.Load(path));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(KeyLine(1)[..20], error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("AAAAAAAA", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_utf8_is_refused()
    {
        var path = PathOf("binary");
        File.WriteAllBytes(path, [0xff, 0xfe, 0x00]);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        Assert.Contains("not UTF-8", Assert.Throws<TicketKeyFileException>(() => TicketKeyFile.Load(path)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_other_users_can_reach_is_refused_with_the_fix()
    {
        var path = WritePrivate("world-readable", $"{TicketKeyFile.Header}\n{KeyLine(1)}\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var error = Assert.Throws<TicketKeyFileException>(() => TicketKeyFile.Load(path));

        Assert.Contains("mode 0644", error.Message, StringComparison.Ordinal);
        Assert.Contains("chmod 600", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_is_a_clear_error()
    {
        var error = Assert.Throws<TicketKeyFileException>(() => TicketKeyFile.Load(PathOf("absent")));

        Assert.Contains("cannot be read", error.Message, StringComparison.Ordinal);
    }
}
