namespace Tickets.Benchmarks;

/// <summary>
/// Finds the repository's ClientHello fixtures (tests/fixtures/clienthello) the way the tests do: walk up from the
/// binary to the directory holding Tickets.sln.
/// </summary>
internal static class Fixtures
{
    public static string ClientHelloDirectory { get; } = Locate();

    /// <summary>The records of one fixture, exactly as the client sent them.</summary>
    public static byte[] Records(string name) => File.ReadAllBytes(Path.Combine(ClientHelloDirectory, name + ".bin"));

    /// <summary>The ClientHello handshake message (header included) carried by a fixture's records.</summary>
    public static byte[] Handshake(string name)
    {
        var records = Records(name);
        var message = new List<byte>();
        for (var offset = 0; offset < records.Length;)
        {
            var length = (records[offset + 3] << 8) | records[offset + 4];
            message.AddRange(records.AsSpan(offset + 5, length).ToArray());
            offset += 5 + length;
        }

        return message.ToArray();
    }

    public static IEnumerable<string> Names() =>
        Directory.GetFiles(ClientHelloDirectory, "*.bin").Select(Path.GetFileNameWithoutExtension).Order()!;

    private static string Locate()
    {
        // BenchmarkDotNet runs the benchmarks from a generated project under bin/, still inside the repository.
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var fixtures = Path.Combine(directory.FullName, "tests", "fixtures", "clienthello");
            if (File.Exists(Path.Combine(directory.FullName, "Tickets.sln")) && Directory.Exists(fixtures))
            {
                return fixtures;
            }
        }

        throw new DirectoryNotFoundException("no tests/fixtures/clienthello in a repository above " + AppContext.BaseDirectory);
    }
}
