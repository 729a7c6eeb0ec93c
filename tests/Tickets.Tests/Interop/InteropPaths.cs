namespace Tickets.Tests.Interop;

/// <summary>Where the interop tests find the built command and keep their scratch files.</summary>
public static class InteropPaths
{
    /// <summary>
    /// Tickets.Cli.dll in the command's own build output (the test project references Tickets.Cli, so it is built first,
    /// in the tests' configuration); `dotnet Tickets.Cli.dll` then runs exactly the code under test. Not the copy beside
    /// the tests: they also reference ASP.NET Core, whose shared framework then supplies packages such as
    /// Microsoft.Extensions.Logging.Abstractions to the tests instead of a copy in their folder, which the command, a
    /// plain console app, needs.
    /// </summary>
    public static string CliAssembly
    {
        get
        {
            var path = BuildOutput(Path.Combine("shell", "Tickets.Cli"), "Tickets.Cli");
            if (!File.Exists(path) || !File.Exists(Path.ChangeExtension(path, ".runtimeconfig.json")))
            {
                throw new FileNotFoundException($"Tickets.Cli.dll (and its runtimeconfig) not found at {path}");
            }

            return path;
        }
    }

    /// <summary>The repository: the nearest directory above the test assembly that holds Tickets.sln.</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>
    /// PROJECT/bin/CONFIGURATION/TFM/ASSEMBLY.dll under the repository, in the configuration and framework the tests were
    /// built in (they run from tests/Tickets.Tests/bin/CONFIGURATION/TFM/).
    /// </summary>
    public static string BuildOutput(string projectDirectory, string assemblyName)
    {
        var framework = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory));
        return Path.Combine(RepositoryRoot, projectDirectory, "bin", framework.Parent!.Name, framework.Name, assemblyName + ".dll");
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Tickets.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException($"no Tickets.sln above {AppContext.BaseDirectory}");
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
