using System.Xml.Linq;

namespace Tickets.Tests.Packaging;

/// <summary>
/// Where the repository is and what it declares about its packages: the one version and repository address in
/// Directory.Build.props, and the package projects (every project under core/ and shell/ is one).
/// </summary>
public static class RepositoryLayout
{
    /// <summary>The packages there must be however the repository grows.</summary>
    public static readonly IReadOnlyList<string> RequiredPackages = ["Tickets.Core", "Tickets", "Tickets.Redis", "Tickets.Cli"];

    /// <summary>The folder holding Tickets.sln, found above the test assembly.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The configuration this test assembly was built in (bin/CONFIG/net10.0), which the packages are packed from.</summary>
    public static string Configuration
    {
        get
        {
            var parts = AppContext.BaseDirectory.Replace('\\', '/').TrimEnd('/').Split('/');
            var bin = Array.LastIndexOf(parts, "bin");
            return bin >= 0 && bin + 1 < parts.Length ? parts[bin + 1] : "Release";
        }
    }

    /// <summary>The version every package has: VersionPrefix in Directory.Build.props.</summary>
    public static string Version => BuildProperty("VersionPrefix");

    /// <summary>The repository address every package and every PDB's source link points to.</summary>
    public static string RepositoryUrl => BuildProperty("RepositoryUrl");

    /// <summary>
    /// Package name → project folder, for every project under core/ and shell/ (folder, assembly and package are
    /// named alike there). Tickets.AspNetCore and Tickets.FSharp join this list when their projects do.
    /// </summary>
    public static IReadOnlyDictionary<string, string> PackageProjects { get; } = FindPackageProjects();

    /// <summary>The package names expected from `dotnet pack Tickets.sln`.</summary>
    public static IReadOnlyList<string> ExpectedPackages =>
        RequiredPackages.Union(PackageProjects.Keys).Order(StringComparer.Ordinal).ToArray();

    private static string BuildProperty(string name)
    {
        var props = XDocument.Load(Path.Combine(Root, "Directory.Build.props"));
        var values = props.Descendants(name).Select(element => element.Value.Trim()).Where(value => value.Length > 0).ToArray();
        Assert.True(values.Length == 1, $"Directory.Build.props should set {name} exactly once, found {values.Length}");
        return values[0];
    }

    private static Dictionary<string, string> FindPackageProjects()
    {
        var projects = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var top in new[] { "core", "shell" })
        {
            foreach (var folder in Directory.GetDirectories(Path.Combine(Root, top)))
            {
                if (Directory.EnumerateFiles(folder, "*.?sproj").Any())
                {
                    projects[Path.GetFileName(folder)] = folder;
                }
            }
        }

        return projects;
    }

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(directory.FullName, "Tickets.sln")))
        {
            directory = directory.Parent ?? throw new InvalidOperationException($"no Tickets.sln above {AppContext.BaseDirectory}");
        }

        return directory.FullName;
    }
}
