using System.IO.Compression;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Xml.Linq;

namespace Tickets.Tests.Packaging;

/// <summary>One dependency of a package, as its .nuspec lists it.</summary>
public sealed record PackageDependency(string Id, string Version)
{
    public DependencyRange Range => DependencyRange.Parse(Version);
}

/// <summary>
/// A .nupkg (or .snupkg) read as NuGet reads it: a zip with the .nuspec at its root. Reads everything at once, so no
/// file stays open.
/// </summary>
public sealed class PackageFile
{
    private readonly Dictionary<string, byte[]> entries;

    private PackageFile(string path, Dictionary<string, byte[]> entries, XElement metadata)
    {
        Path = path;
        this.entries = entries;
        Metadata = metadata;
    }

    public string Path { get; }

    /// <summary>The nuspec's &lt;metadata&gt; element.</summary>
    public XElement Metadata { get; }

    public string Id => Text("id");

    public string Version => Text("version");

    public IReadOnlyCollection<string> Entries => entries.Keys;

    public IReadOnlyList<PackageDependency> Dependencies =>
        Metadata.Descendants().Where(element => element.Name.LocalName == "dependency")
            .Select(element => new PackageDependency((string?)element.Attribute("id") ?? "", (string?)element.Attribute("version") ?? ""))
            .ToArray();

    public IReadOnlyList<string> PackageTypes =>
        Metadata.Descendants().Where(element => element.Name.LocalName == "packageType")
            .Select(element => (string?)element.Attribute("name") ?? "").ToArray();

    public static PackageFile Open(string path)
    {
        using var zip = ZipFile.OpenRead(path);
        var entries = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var entry in zip.Entries)
        {
            using var stream = entry.Open();
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            entries[entry.FullName] = copy.ToArray();
        }

        var nuspecs = entries.Keys.Where(name => !name.Contains('/') && name.EndsWith(".nuspec", StringComparison.Ordinal)).ToArray();
        Assert.True(nuspecs.Length == 1, $"{path} should hold one .nuspec at its root, holds {nuspecs.Length}");
        var document = XDocument.Load(new MemoryStream(entries[nuspecs[0]]));
        var metadata = document.Root?.Elements().SingleOrDefault(element => element.Name.LocalName == "metadata")
            ?? throw new InvalidDataException($"{path}: no <metadata> in {nuspecs[0]}");
        return new PackageFile(path, entries, metadata);
    }

    /// <summary>The text of a metadata element, or "" when it is absent.</summary>
    public string Text(string element) =>
        Metadata.Elements().FirstOrDefault(e => e.Name.LocalName == element)?.Value.Trim() ?? "";

    /// <summary>An attribute of a metadata element, or "" when either is absent.</summary>
    public string Attribute(string element, string attribute) =>
        (string?)Metadata.Elements().FirstOrDefault(e => e.Name.LocalName == element)?.Attribute(attribute) ?? "";

    public byte[] Read(string entry) =>
        entries.TryGetValue(entry, out var bytes) ? bytes : throw new FileNotFoundException($"{Path} has no {entry}");

    public bool Has(string entry) => entries.ContainsKey(entry);

    /// <summary>
    /// The assemblies an assembly in this package lets see its internals ([InternalsVisibleTo("Name")]), by name.
    /// </summary>
    public IReadOnlySet<string> FriendAssemblies(string entry)
    {
        using var pe = new PEReader(new MemoryStream(Read(entry)));
        var reader = pe.GetMetadataReader();
        var friends = new HashSet<string>(StringComparer.Ordinal);
        foreach (var handle in reader.GetAssemblyDefinition().GetCustomAttributes())
        {
            var attribute = reader.GetCustomAttribute(handle);
            if (attribute.Constructor.Kind != HandleKind.MemberReference)
            {
                continue;
            }

            var parent = reader.GetMemberReference((MemberReferenceHandle)attribute.Constructor).Parent;
            if (parent.Kind != HandleKind.TypeReference
                || !reader.StringComparer.Equals(reader.GetTypeReference((TypeReferenceHandle)parent).Name, "InternalsVisibleToAttribute"))
            {
                continue;
            }

            // The blob: prolog 0x0001, then the one string argument ("Name" or "Name, PublicKey=...").
            var value = reader.GetBlobReader(attribute.Value);
            value.ReadUInt16();
            var name = value.ReadSerializedString() ?? "";
            friends.Add(name.Split(',')[0].Trim());
        }

        return friends;
    }

    public override string ToString() => System.IO.Path.GetFileName(Path);
}
