using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Tickets.Tests.Packaging;

/// <summary>
/// What `dotnet pack Tickets.sln` yields, read back from each .nuspec: the expected packages and no others, each with
/// the one version, its metadata, its README, its XML documentation, and dependency ranges with lower bounds.
/// Every check covers every package packed, so a package added later is held to the same rules.
/// </summary>
[Trait("Category", TestCategory.Packaging)]
[Collection(PackagingCollection.Name)]
public sealed partial class PackageMetadataTests(PackedPackages packed)
{
    private static readonly string[] CommonTags = ["tls", "tls13", "tls1.3", "session-tickets", "openssl"];

    [Fact]
    public void Pack_yields_exactly_the_expected_packages_each_with_symbols()
    {
        var ids = packed.Packages.Keys.Order(StringComparer.Ordinal).ToArray();
        Assert.True(RepositoryLayout.ExpectedPackages.SequenceEqual(ids),
            $"expected {string.Join(", ", RepositoryLayout.ExpectedPackages)}; packed {string.Join(", ", ids)}\n{packed.PackOutput?.Describe()}");
        Assert.Equal(ids, packed.SymbolPackages.Keys.Order(StringComparer.Ordinal).ToArray());
        Assert.All(packed.Packages.Values, package => Assert.Equal($"{package.Id}.{package.Version}.nupkg", Path.GetFileName(package.Path)));
    }

    [Fact]
    public void Every_package_has_the_version_description_authors_licence_readme_repository_and_tags()
    {
        var problems = new List<string>();
        foreach (var package in packed.Packages.Values)
        {
            void Expect(bool condition, string what)
            {
                if (!condition)
                {
                    problems.Add($"{package.Id}: {what}");
                }
            }

            Expect(package.Version == RepositoryLayout.Version, $"version {package.Version}, not {RepositoryLayout.Version}");
            var description = package.Text("description");
            Expect(description.Length >= 80 && description != "Package Description", $"description '{description}'");
            var authors = package.Text("authors");
            Expect(authors.Length > 0 && authors != package.Id, $"authors '{authors}' (the SDK's default is the package id)");
            Expect(package.Text("copyright").Length > 0, "no copyright");
            Expect(package.Attribute("license", "type") == "expression" && package.Text("license") == "MIT",
                $"licence {package.Attribute("license", "type")} '{package.Text("license")}', not the expression MIT");
            Expect(package.Text("projectUrl") == RepositoryLayout.RepositoryUrl, $"projectUrl '{package.Text("projectUrl")}'");
            Expect(package.Attribute("repository", "type") == "git" && package.Attribute("repository", "url") == RepositoryLayout.RepositoryUrl,
                $"repository {package.Attribute("repository", "type")} '{package.Attribute("repository", "url")}'");
            Expect(CommitId().IsMatch(package.Attribute("repository", "commit")), $"repository commit '{package.Attribute("repository", "commit")}'");
            var tags = package.Text("tags").Split(' ', StringSplitOptions.RemoveEmptyEntries);
            Expect(tags.Contains("tls13") && tags.Contains("session-tickets") && tags.Except(CommonTags).Any(),
                $"tags '{package.Text("tags")}' (tls13, session-tickets and some of its own)");

            Expect(package.Text("readme") == "README.md" && package.Has("README.md"), "no README.md as its readme");
            if (package.Has("README.md") && RepositoryLayout.PackageProjects.TryGetValue(package.Id, out var folder))
            {
                var readme = Encoding.UTF8.GetString(package.Read("README.md"));
                Expect(readme == File.ReadAllText(Path.Combine(folder, "README.md")), "README.md is not the one beside its project");
                Expect(readme.Length > 400 && readme.StartsWith($"# {package.Id}", StringComparison.Ordinal), "README.md is a stub");
            }
        }

        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    [Fact]
    public void Library_packages_carry_the_assembly_and_its_xml_documentation()
    {
        foreach (var package in packed.Packages.Values.Where(package => !package.PackageTypes.Contains("DotnetTool")))
        {
            var assembly = $"lib/net10.0/{package.Id}.dll";
            var documentation = $"lib/net10.0/{package.Id}.xml";
            Assert.True(package.Has(assembly) && package.Has(documentation), $"{package}: {string.Join(", ", package.Entries)}");
            Assert.DoesNotContain(package.Entries, entry => entry.EndsWith(".pdb", StringComparison.Ordinal));

            var members = XDocument.Load(new MemoryStream(package.Read(documentation))).Descendants("member").ToArray();
            Assert.True(members.Length >= 10, $"{package}: {members.Length} documented members");
            Assert.All(members, member => Assert.False(
                string.IsNullOrWhiteSpace(member.Value) && !member.Elements("inheritdoc").Any(), $"{package}: {member.Attribute("name")} is empty"));
        }
    }

    [Fact]
    public void The_cli_is_a_dotnet_tool_named_tickets_with_nothing_left_to_resolve()
    {
        var tool = packed.Packages["Tickets.Cli"];
        Assert.Equal(["DotnetTool"], tool.PackageTypes);
        Assert.Empty(tool.Dependencies);
        var settings = XDocument.Load(new MemoryStream(tool.Read("tools/net10.0/any/DotnetToolSettings.xml")));
        var command = Assert.Single(settings.Descendants("Command"));
        Assert.Equal("tickets", (string?)command.Attribute("Name"));
        Assert.Equal("Tickets.Cli.dll", (string?)command.Attribute("EntryPoint"));
        // The tool carries what it runs on: its own assemblies and the third-party ones (no package restore at install).
        foreach (var needed in new[] { "Tickets.Cli.dll", "Tickets.dll", "Tickets.Core.dll", "Tickets.Redis.dll", "StackExchange.Redis.dll", "LanguageExt.Core.dll" })
        {
            Assert.True(tool.Has($"tools/net10.0/any/{needed}"), $"the tool lacks {needed}");
        }
    }

    [Fact]
    public void Dependencies_are_lower_bounds_siblings_exact_where_their_internals_are_used_and_only_Tickets_Redis_uses_StackExchange_Redis()
    {
        var ours = RepositoryLayout.ExpectedPackages.ToHashSet(StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var package in packed.Packages.Values)
        {
            foreach (var dependency in package.Dependencies)
            {
                var range = dependency.Range;
                if (ours.Contains(dependency.Id))
                {
                    // A sibling from the same release. A package built against the sibling's internals (the sibling's
                    // assembly names it in InternalsVisibleTo) needs exactly that build: [V] (ProjectReference
                    // PackExactVersion). Any other needs at least this version: V, a lower bound alone.
                    var usesInternals = SeesInternalsOf(package.Id, packed.Packages[dependency.Id]);
                    if (range.Minimum != RepositoryLayout.Version || (usesInternals ? !range.IsExact : !range.IsLowerBoundOnly))
                    {
                        problems.Add($"{package.Id} -> {dependency.Id} {dependency.Version}: should be {(usesInternals ? $"exactly [{RepositoryLayout.Version}] (it is built against the internals of {dependency.Id})" : $"{RepositoryLayout.Version} (a lower bound alone)")}");
                    }
                }
                else if (!range.IsLowerBoundOnly)
                {
                    problems.Add($"{package.Id} -> {dependency.Id} {dependency.Version}: not a lower bound alone ({range})");
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join('\n', problems));

        var onRedis = packed.Packages.Values.Where(package => package.Dependencies.Any(d => d.Id == "StackExchange.Redis")).Select(p => p.Id);
        Assert.Equal(["Tickets.Redis"], onRedis);
        var redis = packed.Packages["Tickets.Redis"].Dependencies.Single(d => d.Id == "StackExchange.Redis");
        Assert.True(redis.Range.IsLowerBoundOnly, $"StackExchange.Redis {redis.Version}");
        // The three that are built against a sibling's internals, named so that the rule above is seen to bite.
        Assert.Contains(packed.Packages["Tickets"].Dependencies, d => d.Id == "Tickets.Core" && d.Range.IsExact);
        Assert.Contains(packed.Packages["Tickets.Redis"].Dependencies, d => d.Id == "Tickets" && d.Range.IsExact);
        Assert.Contains(packed.Packages["Tickets.AspNetCore"].Dependencies, d => d.Id == "Tickets" && d.Range.IsExact);
    }

    /// <summary>Whether the dependency's assembly grants the package's assembly (named as the package) its internals.</summary>
    private static bool SeesInternalsOf(string packageId, PackageFile dependency) =>
        dependency.Has($"lib/net10.0/{dependency.Id}.dll") && dependency.FriendAssemblies($"lib/net10.0/{dependency.Id}.dll").Contains(packageId);

    [GeneratedRegex("^[0-9a-f]{40}$")]
    private static partial Regex CommitId();
}
