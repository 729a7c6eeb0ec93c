namespace Tickets.Benchmarks;

/// <summary>
/// Finds the shared ClientHello fixtures the way the tests do: walk up from the binary to the directory
/// holding Tickets.sln, then ../shared/fixtures (CI keeps a copy of shared/ beside the clone).
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
        // BenchmarkDotNet runs the benchmarks from a generated project under bin/, still inside the repo.
        // shared/ sits beside the repository (CI) or beside one of its ancestors (a git worktree).
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (!File.Exists(Path.Combine(directory.FullName, "Tickets.sln")))
            {
                continue;
            }

            for (var candidate = directory.Parent; candidate is not null; candidate = candidate.Parent)
            {
                var fixtures = Path.Combine(candidate.FullName, "shared", "fixtures", "clienthello");
                if (Directory.Exists(fixtures))
                {
                    return fixtures;
                }
            }
        }

        throw new DirectoryNotFoundException("no shared/fixtures/clienthello beside the repository above " + AppContext.BaseDirectory);
    }
}
