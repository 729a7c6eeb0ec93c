using Tickets.Tests.Interop;

namespace Tickets.Tests.Packaging;

/// <summary>
/// `dotnet pack Tickets.sln --no-build` into a fresh folder, once for all the packaging tests: the packages exactly as
/// a release would make them from the build under test (the suite's own build, so packing takes seconds, not a
/// rebuild).
/// </summary>
public sealed class PackedPackages : IAsyncLifetime
{
    private static readonly TimeSpan PackTimeout = TimeSpan.FromMinutes(4);

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), $"tickets-packages-{Guid.NewGuid():N}");

    /// <summary>Every .nupkg, by package id.</summary>
    public IReadOnlyDictionary<string, PackageFile> Packages { get; private set; } = new Dictionary<string, PackageFile>();

    /// <summary>Every .snupkg, by package id.</summary>
    public IReadOnlyDictionary<string, PackageFile> SymbolPackages { get; private set; } = new Dictionary<string, PackageFile>();

    /// <summary>What `dotnet pack` printed, for failure messages.</summary>
    public ProcessResult? PackOutput { get; private set; }

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Folder);
        PackOutput = await ExternalProgram.RunAsync(
            InteropPaths.DotnetHost,
            [
                "pack", Path.Combine(RepositoryLayout.Root, "Tickets.sln"), "-c", RepositoryLayout.Configuration, "--no-build", "-o", Folder,
                "-nologo", $"-p:SourceRevisionId={BuiltCommit()}",
            ],
            timeout: PackTimeout,
            environment: new Dictionary<string, string> { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1", ["DOTNET_NOLOGO"] = "1" },
            workingDirectory: RepositoryLayout.Root);
        Assert.True(PackOutput.ExitCode == 0, PackOutput.Describe());

        Packages = Directory.GetFiles(Folder, "*.nupkg").Select(PackageFile.Open).ToDictionary(package => package.Id, StringComparer.Ordinal);
        SymbolPackages = Directory.GetFiles(Folder, "*.snupkg").Select(PackageFile.Open).ToDictionary(package => package.Id, StringComparer.Ordinal);
    }

    /// <summary>
    /// The commit the assemblies under test were built from (the SDK appends it to the informational version). Packing
    /// without building would otherwise stamp the packages with the commit checked out now, which differs from the
    /// one in their PDBs' source links after a commit made since the build; a release packs right after its build.
    /// </summary>
    private static string BuiltCommit()
    {
        var version = typeof(TicketServer).Assembly
            .GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), inherit: false)
            .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().Single().InformationalVersion;
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        Assert.True(plus > 0, $"no commit in the informational version '{version}'");
        return version[(plus + 1)..];
    }

    public Task DisposeAsync()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: the temp cleaner takes what is left.
        }

        return Task.CompletedTask;
    }
}

/// <summary>The packaging tests share one pack (and run one after another).</summary>
[CollectionDefinition(Name)]
public sealed class PackagingCollection : ICollectionFixture<PackedPackages>
{
    public const string Name = "Packages";
}
