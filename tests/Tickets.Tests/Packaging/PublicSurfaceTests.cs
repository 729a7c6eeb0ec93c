using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace Tickets.Tests.Packaging;

/// <summary>
/// The public surface the library packages ship is the deliberate one: each C# package's exported types are exactly
/// the types its checked-in API baseline (PublicAPI.Shipped.txt + PublicAPI.Unshipped.txt) declares, and none of them
/// is cryptography, record layer, handshake machinery or a wire codec. (The build itself fails on any member missing
/// from or gone out of the baseline, RS0016/RS0017; this checks the shipped assemblies against the files, too.)
/// </summary>
[Trait("Category", TestCategory.Packaging)]
[Collection(PackagingCollection.Name)]
public sealed class PublicSurfaceTests(PackedPackages packed)
{
    /// <summary>Namespaces whose types are all internal: how the server works, not what it offers.</summary>
    private static readonly string[] InternalNamespaces = ["Tickets.Crypto", "Tickets.Records", "Tickets.Handshake"];

    /// <summary>The core's wire machinery: the messages are public records, turning them into bytes and back is not.</summary>
    private static readonly string[] WireTypes =
    [
        "Tickets.Core.Protocol.ExtensionBodies", "Tickets.Core.Protocol.HandshakeFraming", "Tickets.Core.Protocol.HandshakeHeader",
        "Tickets.Core.Protocol.HandshakeReassembler", "Tickets.Core.Protocol.RecordHeader", "Tickets.Core.Protocol.WireReader",
        "Tickets.Core.Protocol.WireWriter",
    ];

    [Fact]
    public void Exported_types_are_exactly_those_in_the_api_baseline()
    {
        var problems = new List<string>();
        foreach (var package in LibraryPackagesWithBaselines())
        {
            var folder = RepositoryLayout.PackageProjects[package.Id];
            var exported = ExportedTypes(package.Read($"lib/net10.0/{package.Id}.dll"));
            var declared = BaselineTypes(folder);
            problems.AddRange(exported.Except(declared).Select(type => $"{package.Id}: {type} is public but not in its PublicAPI baseline"));
            problems.AddRange(declared.Except(exported).Select(type => $"{package.Id}: {type} is in its PublicAPI baseline but not public"));
        }

        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    [Fact]
    public void No_crypto_record_handshake_or_codec_type_is_public()
    {
        var leaked = LibraryPackagesWithBaselines()
            .SelectMany(package => ExportedTypes(package.Read($"lib/net10.0/{package.Id}.dll")))
            .Where(type => InternalNamespaces.Any(space => type.StartsWith(space + ".", StringComparison.Ordinal))
                || type.EndsWith("Codec", StringComparison.Ordinal) || WireTypes.Contains(type))
            .ToArray();
        Assert.True(leaked.Length == 0, string.Join('\n', leaked));
    }

    private IEnumerable<PackageFile> LibraryPackagesWithBaselines() =>
        packed.Packages.Values.Where(package =>
            package.Has($"lib/net10.0/{package.Id}.dll")
            && RepositoryLayout.PackageProjects.TryGetValue(package.Id, out var folder)
            && File.Exists(Path.Combine(folder, "PublicAPI.Shipped.txt")));

    /// <summary>Full names (Namespace.Outer.Inner, generic arity dropped) of the types visible outside the assembly.</summary>
    private static HashSet<string> ExportedTypes(byte[] assembly)
    {
        using var pe = new PEReader(new MemoryStream(assembly));
        var reader = pe.GetMetadataReader();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var handle in reader.TypeDefinitions)
        {
            var name = VisibleName(reader, handle);
            if (name is not null)
            {
                names.Add(name);
            }
        }

        return names;
    }

    private static string? VisibleName(MetadataReader reader, TypeDefinitionHandle handle)
    {
        var type = reader.GetTypeDefinition(handle);
        var visibility = type.Attributes & TypeAttributes.VisibilityMask;
        var name = reader.GetString(type.Name);
        var tick = name.IndexOf('`', StringComparison.Ordinal);
        name = tick < 0 ? name : name[..tick];
        if (visibility == TypeAttributes.Public)
        {
            var space = reader.GetString(type.Namespace);
            return space.Length == 0 ? name : $"{space}.{name}";
        }

        // A nested type is visible when it is public, protected or protected-or-internal inside a visible type.
        if (visibility is TypeAttributes.NestedPublic or TypeAttributes.NestedFamily or TypeAttributes.NestedFamORAssem)
        {
            var outer = VisibleName(reader, type.GetDeclaringType());
            return outer is null ? null : $"{outer}.{name}";
        }

        return null;
    }

    /// <summary>The type lines of a baseline: those declaring no member (no "->"), minus what Unshipped marks removed.</summary>
    private static HashSet<string> BaselineTypes(string folder)
    {
        var lines = File.ReadAllLines(Path.Combine(folder, "PublicAPI.Shipped.txt"))
            .Concat(File.ReadAllLines(Path.Combine(folder, "PublicAPI.Unshipped.txt")))
            .ToArray();
        var removed = lines.Where(line => line.StartsWith("*REMOVED*", StringComparison.Ordinal)).Select(line => line["*REMOVED*".Length..]).ToHashSet();
        var types = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in lines)
        {
            if (line.Length == 0 || line.StartsWith('#') || line.StartsWith("*REMOVED*", StringComparison.Ordinal) || removed.Contains(line)
                || line.Contains("->", StringComparison.Ordinal) || line.Contains('(', StringComparison.Ordinal))
            {
                continue;
            }

            // Modifiers the analyzer may write before a type (static, abstract, sealed) and generic parameters.
            types.Add(System.Text.RegularExpressions.Regex.Replace(line.Split(' ')[^1], "<[^<>]*>", ""));
        }

        return types;
    }
}
