using LanguageExt;
using LanguageExt.Common;
using Tickets.Core.Protocol;
using static LanguageExt.Prelude;

namespace Tickets.Core.Negotiation;

/// <summary>
/// The names OpenSSL gives the key exchange groups (s_server -groups, SSL_CTX_set1_groups_list), so an operator can
/// write the same list for either server. Matching ignores case, as OpenSSL 3.5 does; the NIST curves also answer to
/// their P-256 / prime256v1 style aliases.
/// </summary>
public static class GroupNames
{
    private static readonly (string Name, NamedGroup Group)[] Names =
    [
        ("X25519MLKEM768", NamedGroup.X25519MLKEM768),
        ("x25519", NamedGroup.x25519),
        ("x448", NamedGroup.x448),
        ("secp256r1", NamedGroup.secp256r1),
        ("P-256", NamedGroup.secp256r1),
        ("prime256v1", NamedGroup.secp256r1),
        ("secp384r1", NamedGroup.secp384r1),
        ("P-384", NamedGroup.secp384r1),
        ("secp521r1", NamedGroup.secp521r1),
        ("P-521", NamedGroup.secp521r1),
        ("ffdhe2048", NamedGroup.ffdhe2048),
        ("ffdhe3072", NamedGroup.ffdhe3072),
        ("ffdhe4096", NamedGroup.ffdhe4096),
        ("ffdhe6144", NamedGroup.ffdhe6144),
        ("ffdhe8192", NamedGroup.ffdhe8192),
    ];

    /// <summary>The group a name stands for, if it is one of the names above.</summary>
    public static Option<NamedGroup> Find(string name)
    {
        foreach (var (candidate, group) in Names)
        {
            if (string.Equals(candidate, name, StringComparison.OrdinalIgnoreCase)) return Some(group);
        }
        return None;
    }

    /// <summary>The name OpenSSL prints for the group (its first name above); the number for others.</summary>
    public static string Name(NamedGroup group)
    {
        foreach (var (candidate, known) in Names)
        {
            if (known == group) return candidate;
        }
        return $"0x{(ushort)group:x4}";
    }

    /// <summary>
    /// A preference list such as "X25519MLKEM768:x25519:P-256", most preferred first, separated by ':' as OpenSSL
    /// writes it (',' is taken too). An empty list, an empty entry, an unknown name or a group named twice fails with
    /// a message naming the problem.
    /// </summary>
    public static Fin<EquatableArray<NamedGroup>> ParseList(string list)
    {
        ArgumentNullException.ThrowIfNull(list);
        var groups = new List<NamedGroup>();
        foreach (var entry in list.Split([':', ',']))
        {
            var name = entry.Trim();
            if (name.Length == 0)
                return FinFail<EquatableArray<NamedGroup>>(Error.New($"empty group name in '{list}'"));
            var group = Find(name);
            if (group.IsNone)
                return FinFail<EquatableArray<NamedGroup>>(Error.New($"unknown group '{name}' (known: {string.Join(", ", Known)})"));
            if (groups.Contains((NamedGroup)group))
                return FinFail<EquatableArray<NamedGroup>>(Error.New($"group '{name}' is listed twice"));
            groups.Add((NamedGroup)group);
        }
        return FinSucc(EquatableArray.Of(groups));
    }

    /// <summary>One name per group, in the default preference order.</summary>
    public static IEnumerable<string> Known => ServerPreferences.DefaultGroups.Select(Name);
}
