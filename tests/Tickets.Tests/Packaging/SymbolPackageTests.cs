using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text;

namespace Tickets.Tests.Packaging;

/// <summary>
/// The .snupkg beside each package: a portable PDB for each of the package's own assemblies, matching that assembly
/// (the PDB id in the assembly's debug directory), with a SourceLink map pointing at the repository at the package's
/// commit, so a debugger steps into the exact sources; and each of those assemblies built deterministically.
/// </summary>
[Trait("Category", TestCategory.Packaging)]
[Collection(PackagingCollection.Name)]
public sealed class SymbolPackageTests(PackedPackages packed)
{
    // Portable PDB custom debug information kinds (System.Reflection.Metadata docs, "PortablePdb-Metadata").
    private static readonly Guid SourceLinkKind = new("CC110556-A091-4D38-9FEC-25AB9A351A6A");

    [Fact]
    public void Every_own_assembly_is_deterministic_with_its_pdb_in_the_symbols_package_and_source_link_to_the_commit()
    {
        var problems = new List<string>();
        foreach (var package in packed.Packages.Values)
        {
            var symbols = packed.SymbolPackages[package.Id];
            var commit = package.Attribute("repository", "commit");
            var expectedUrl = SourceLinkPrefix(commit);
            var own = package.Entries.Where(entry => entry.EndsWith(".dll", StringComparison.Ordinal)
                && Path.GetFileName(entry).StartsWith("Tickets", StringComparison.Ordinal)).ToArray();
            if (own.Length == 0)
            {
                problems.Add($"{package.Id}: no assembly of its own");
            }

            foreach (var assembly in own)
            {
                var pdb = Path.ChangeExtension(assembly, ".pdb");
                if (!symbols.Has(pdb))
                {
                    problems.Add($"{package.Id}: {symbols} lacks {pdb}");
                    continue;
                }

                if (!IsReproducible(package.Read(assembly)))
                {
                    problems.Add($"{package.Id}: {assembly} was not built deterministically (no Reproducible debug entry)");
                }

                var (pdbId, sourceLink) = ReadPdb(symbols.Read(pdb));
                if (pdbId != ReadCodeViewGuid(package.Read(assembly)))
                {
                    problems.Add($"{package.Id}: {pdb} is not the PDB of {assembly}");
                }

                if (sourceLink is null || !sourceLink.Contains(expectedUrl, StringComparison.Ordinal))
                {
                    problems.Add($"{package.Id}: {pdb} source link '{sourceLink}' does not point at {expectedUrl}");
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    /// <summary>https://github.com/OWNER/REPO → https://raw.githubusercontent.com/OWNER/REPO/COMMIT/ (SourceLink's GitHub map).</summary>
    private static string SourceLinkPrefix(string commit)
    {
        var repository = new Uri(RepositoryLayout.RepositoryUrl);
        Assert.Equal("github.com", repository.Host);
        return $"https://raw.githubusercontent.com{repository.AbsolutePath.TrimEnd('/')}/{commit}/";
    }

    /// <summary>The compiler marks a deterministic build with a Reproducible entry in the debug directory.</summary>
    private static bool IsReproducible(byte[] assembly)
    {
        using var reader = new PEReader(new MemoryStream(assembly));
        return reader.ReadDebugDirectory().Any(entry => entry.Type == DebugDirectoryEntryType.Reproducible);
    }

    private static Guid ReadCodeViewGuid(byte[] assembly)
    {
        using var reader = new PEReader(new MemoryStream(assembly));
        var codeView = reader.ReadDebugDirectory().Single(entry => entry.Type == DebugDirectoryEntryType.CodeView);
        return reader.ReadCodeViewDebugDirectoryData(codeView).Guid;
    }

    private static (Guid Id, string? SourceLink) ReadPdb(byte[] pdb)
    {
        using var provider = MetadataReaderProvider.FromPortablePdbStream(new MemoryStream(pdb));
        var reader = provider.GetMetadataReader();
        var id = new Guid(reader.DebugMetadataHeader!.Id.AsSpan(0, 16));
        foreach (var handle in reader.GetCustomDebugInformation(EntityHandle.ModuleDefinition))
        {
            var information = reader.GetCustomDebugInformation(handle);
            if (reader.GetGuid(information.Kind) == SourceLinkKind)
            {
                return (id, Encoding.UTF8.GetString(reader.GetBlobBytes(information.Value)));
            }
        }

        return (id, null);
    }
}
