using System.Globalization;
using System.Text.RegularExpressions;

namespace Tickets.Tests.Protocol;

/// <summary>
/// The test data kept in the repository under tests/fixtures: real ClientHellos (clienthello/) and the text of
/// RFC 8448 (rfc/), whose example handshakes are the key schedule's test vectors. Found by walking up from the test
/// binaries to the folder holding Tickets.sln, so a clone of the repository is all the tests need.
/// </summary>
internal static class TestData
{
    private static readonly Lazy<string> FixturesRoot = new(LocateFixtures);

    public static string ClientHelloDirectory => Path.Combine(FixturesRoot.Value, "clienthello");

    public static string ReferenceDirectory => Path.Combine(FixturesRoot.Value, "rfc");

    public static string[] ClientHelloFixtureNames =>
        Directory.GetFiles(ClientHelloDirectory, "*.bin").Select(Path.GetFileNameWithoutExtension).OfType<string>().Order(StringComparer.Ordinal).ToArray();

    public static byte[] FixtureRecords(string name) => File.ReadAllBytes(Path.Combine(ClientHelloDirectory, name + ".bin"));

    /// <summary>
    /// The ClientHello handshake message of a fixture: record headers stripped and fragments joined.
    /// Deliberately independent of the codec under test.
    /// </summary>
    public static byte[] FixtureHandshake(string name)
    {
        var records = FixtureRecords(name);
        var message = new List<byte>();
        var offset = 0;
        while (offset < records.Length)
        {
            Assert.Equal(22, records[offset]);
            var length = (records[offset + 3] << 8) | records[offset + 4];
            message.AddRange(records.AsSpan(offset + 5, length).ToArray());
            offset += 5 + length;
        }
        return message.ToArray();
    }

    private static readonly Lazy<string> Rfc8448Text = new(() => File.ReadAllText(Path.Combine(ReferenceDirectory, "rfc8448.txt")));

    /// <summary>
    /// Octets listed in RFC 8448 under a label such as "ServerHello (90 octets):". Hex lines after the
    /// label are collected until the announced count, skipping the page headers and footers in between.
    /// </summary>
    public static byte[] Rfc8448(string label, int occurrence = 0)
    {
        var lines = Rfc8448Text.Value.Split('\n');
        var seen = 0;
        for (var i = 0; i < lines.Length; i++)
        {
            var index = lines[i].IndexOf(label + " (", StringComparison.Ordinal);
            if (index < 0 || !lines[i].TrimStart().StartsWith(label + " (", StringComparison.Ordinal)) continue;
            if (seen++ != occurrence) continue;
            var header = Regex.Match(lines[i], @"\((\d+) octets\):(.*)$");
            Assert.True(header.Success, $"label line malformed: {lines[i]}");
            var count = int.Parse(header.Groups[1].Value, CultureInfo.InvariantCulture);
            var bytes = new List<byte>(count);
            AddHex(header.Groups[2].Value, bytes);
            for (var j = i + 1; bytes.Count < count && j < lines.Length; j++)
            {
                var line = lines[j].Trim();
                if (line.Length == 0 || !Regex.IsMatch(line, "^([0-9a-f]{2} ?)+$")) continue;
                AddHex(line, bytes);
            }
            Assert.Equal(count, bytes.Count);
            return bytes.ToArray();
        }
        throw new InvalidOperationException($"RFC 8448 has no occurrence {occurrence} of '{label}'");
    }

    private static void AddHex(string text, List<byte> bytes)
    {
        foreach (var token in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            bytes.Add(byte.Parse(token, NumberStyles.HexNumber, CultureInfo.InvariantCulture));
    }

    private static string LocateFixtures()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Tickets.sln")))
            directory = directory.Parent;
        Assert.NotNull(directory);
        var fixtures = Path.Combine(directory.FullName, "tests", "fixtures");
        if (!Directory.Exists(Path.Combine(fixtures, "clienthello")))
            throw new DirectoryNotFoundException($"no tests/fixtures/clienthello in the repository at {directory.FullName}");
        return fixtures;
    }
}
