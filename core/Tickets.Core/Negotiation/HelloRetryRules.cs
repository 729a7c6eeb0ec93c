using Tickets.Core.Protocol;

namespace Tickets.Core.Negotiation;

/// <summary>
/// What the ClientHello answering a HelloRetryRequest may change (RFC 8446 §4.1.2): the key shares (now one, for the
/// requested group), early_data (removed), cookie (added, echoing ours), pre_shared_key (ages and binders recomputed,
/// identities the suite cannot use removed) and padding. Everything else, fixed fields and every other extension byte
/// for byte, must be as in the first ClientHello: a client must not switch its server_name, ALPN, signature algorithms
/// or versions between the hello that drew our retry and the one we answer. Checked in one pass over each list.
/// </summary>
internal static class HelloRetryRules
{
    /// <summary>The extensions §4.1.2 lets the second ClientHello change, add or drop (checked elsewhere, if at all).</summary>
    private static bool MayChange(ExtensionType type) => type is
        ExtensionType.KeyShare or ExtensionType.EarlyData or ExtensionType.Cookie or ExtensionType.PreSharedKey or ExtensionType.Padding;

    /// <summary>Why <paramref name="second"/> is not a legal answer to a retry of <paramref name="first"/>; null when it is.</summary>
    public static string? IllegalChange(ClientHello first, ClientHello second)
    {
        if (second.LegacyVersion != first.LegacyVersion)
            return "legacy_version";
        if (second.Random != first.Random)
            return "random";
        if (second.LegacySessionId != first.LegacySessionId)
            return "legacy_session_id";
        if (second.CompressionMethods != first.CompressionMethods)
            return "legacy_compression_methods";
        if (second.CipherSuites != first.CipherSuites)
            return "cipher_suites";
        return ChangedExtension(first, second) ?? ChangedPskIdentities(first, second);
    }

    /// <summary>
    /// Compares the extensions as sets keyed by type (a type appears at most once: the codec refuses repeats), so an
    /// extension reordered but unchanged is fine, and anything added, dropped or altered is named.
    /// </summary>
    private static string? ChangedExtension(ClientHello first, ClientHello second)
    {
        var earlier = new Dictionary<ushort, Bytes>(first.Extensions.Count);
        foreach (var extension in first.Extensions)
        {
            if (!MayChange(extension.Type))
                earlier[(ushort)extension.Type] = extension.Data;
        }

        var matched = 0;
        foreach (var extension in second.Extensions)
        {
            if (MayChange(extension.Type))
                continue;
            if (!earlier.TryGetValue((ushort)extension.Type, out var data))
                return $"extension {(ushort)extension.Type} (added)";
            if (data != extension.Data)
                return $"extension {(ushort)extension.Type}";
            matched++;
        }

        if (matched != earlier.Count)
            return "an extension (dropped)";
        return null;
    }

    /// <summary>pre_shared_key may shrink, never grow or change its identities, and may not appear for the first time.</summary>
    private static string? ChangedPskIdentities(ClientHello first, ClientHello second)
    {
        if (second.PreSharedKey.IsNone)
            return null;
        if (first.PreSharedKey.IsNone)
            return "pre_shared_key (added)";

        var offered = new HashSet<Bytes>();
        foreach (var identity in first.PreSharedKey.Map(psks => psks.Identities).IfNone(EquatableArray<PskIdentity>.Empty))
        {
            offered.Add(identity.Identity);
        }

        foreach (var identity in second.PreSharedKey.Map(psks => psks.Identities).IfNone(EquatableArray<PskIdentity>.Empty))
        {
            if (!offered.Contains(identity.Identity))
                return "pre_shared_key (an identity the first ClientHello did not offer)";
        }

        return null;
    }
}
