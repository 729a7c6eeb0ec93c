namespace Tickets.Tests.Interop;

/// <summary>Where the interop tests find the built command and keep their scratch files.</summary>
public static class InteropPaths
{
    /// <summary>
    /// The test project references Tickets.Cli, so the build copies Tickets.Cli.dll with its runtimeconfig beside
    /// the test assembly; `dotnet Tickets.Cli.dll` then runs exactly the code under test, in the same configuration.
    /// </summary>
    public static string CliAssembly
    {
        get
        {
            var path = Path.Combine(AppContext.BaseDirectory, "Tickets.Cli.dll");
            if (!File.Exists(path) || !File.Exists(Path.ChangeExtension(path, ".runtimeconfig.json")))
            {
                throw new FileNotFoundException($"Tickets.Cli.dll (and its runtimeconfig) not found beside the tests in {AppContext.BaseDirectory}");
            }

            return path;
        }
    }

    /// <summary>The dotnet host that runs this test, so the server runs on the same runtime.</summary>
    public static string DotnetHost =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    /// <summary>
    /// Per-run scratch directory. The servers get it as XDG_DATA_HOME so the default certificate is cached here,
    /// not in the developer's home directory.
    /// </summary>
    public static string Scratch { get; } = CreateScratch();

    /// <summary>A fresh directory inside <see cref="Scratch"/> for one test's files (session files, scripts).</summary>
    public static string NewDirectory(string purpose)
    {
        var path = Path.Combine(Scratch, $"{purpose}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        return path;
    }

    private static string CreateScratch()
    {
        var path = Path.Combine(Path.GetTempPath(), $"tickets-interop-{Environment.ProcessId}");
        Directory.CreateDirectory(path);
        // Session files, scripts and keys are only needed while the tests run.
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(path, recursive: true);
            }
            catch (IOException)
            {
                // Something still holds a file open; leave it to the temp cleaner.
            }
            catch (UnauthorizedAccessException)
            {
                // Same: best effort only.
            }
        };
        return path;
    }
}
