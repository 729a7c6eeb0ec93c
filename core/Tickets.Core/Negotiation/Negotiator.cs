using LanguageExt;
using Tickets.Core.Protocol;
using static LanguageExt.Prelude;

namespace Tickets.Core.Negotiation;

/// <summary>
/// Chooses the connection parameters from a parsed ClientHello and the server's preferences
/// (RFC 8446 §4.1.1, §4.2, §9.2). Server preference order wins; values the server does not know
/// (GREASE, hybrid groups, TLS 1.2 suites) are simply never chosen.
/// </summary>
public static class Negotiator
{
    /// <summary>
    /// The highest legacy_version a client may send with TLS 1.3 is 0x0303; Appendix D.5 makes 0x0300 (SSL 3.0) an abort
    /// with protocol_version. OpenSSL 3.0 refuses anything at or below 0x0300 ("bad legacy version") and tolerates
    /// 0x0301 and 0x0302; we do the same.
    /// </summary>
    public const ushort LowestLegacyVersion = 0x0301;

    /// <summary>
    /// Negotiates a first (or only) ClientHello: version, suite, group (and the client's share for it, if it sent one;
    /// none at all when the client offers a PSK in psk_ke mode the server allows), signature scheme, ALPN protocol, and
    /// what the client offered for resumption. Every refusal carries the alert RFC 8446 names for it (protocol_version,
    /// handshake_failure, missing_extension, illegal_parameter, no_application_protocol).
    /// </summary>
    public static Fin<Negotiation> Negotiate(ClientHello hello, ServerPreferences preferences)
    {
        ArgumentNullException.ThrowIfNull(hello);
        ArgumentNullException.ThrowIfNull(preferences);
        if (hello.LegacyVersion < LowestLegacyVersion)
            return Fail(AlertDescription.ProtocolVersion, $"legacy_version 0x{hello.LegacyVersion:x4} is SSL 3.0 or older (RFC 8446 Appendix D.5)");

        // §4.2.1: without supported_versions the client speaks TLS 1.2 or older.
        if (!hello.SupportedVersions.Contains(ProtocolVersion.Tls13))
            return Fail(AlertDescription.ProtocolVersion, hello.HasExtension(ExtensionType.SupportedVersions)
                ? "supported_versions does not include TLS 1.3"
                : "no supported_versions: the client offers TLS 1.2 or older only");

        // §4.1.2: a TLS 1.3 hello carries exactly the null compression method.
        if (hello.CompressionMethods.Span is not [0])
            return Fail(AlertDescription.IllegalParameter, "legacy_compression_methods must be exactly [null]");

        var suite = FirstShared(preferences.CipherSuites, hello.CipherSuites);
        if (suite.IsNone) return Fail(AlertDescription.HandshakeFailure, "no TLS 1.3 cipher suite in common");

        var offersPsk = hello.PreSharedKey.IsSome;
        var hasGroups = hello.HasExtension(ExtensionType.SupportedGroups);
        var hasShares = hello.HasExtension(ExtensionType.KeyShare);

        // §9.2 mandatory-extension rules.
        if (offersPsk && hello.PskKeyExchangeModes.IsNone)
            return Fail(AlertDescription.MissingExtension, "pre_shared_key without psk_key_exchange_modes");
        if (!offersPsk && !hello.HasExtension(ExtensionType.SignatureAlgorithms))
            return Fail(AlertDescription.MissingExtension, "no signature_algorithms and no pre_shared_key");
        if (hasGroups != hasShares)
            return Fail(AlertDescription.MissingExtension, hasGroups ? "supported_groups without key_share" : "key_share without supported_groups");
        var modes = hello.PskKeyExchangeModes.IfNone(EquatableArray<PskKeyExchangeMode>.Empty);
        if (!hasGroups)
        {
            if (!offersPsk)
                return Fail(AlertDescription.MissingExtension, "no supported_groups and no pre_shared_key");
            // Without groups only psk_ke can work, and only where the operator allows a PSK without (EC)DHE.
            if (!preferences.AllowPskWithoutKeyExchange || !modes.Contains(PskKeyExchangeMode.psk_ke))
                return Fail(AlertDescription.HandshakeFailure, "PSK without key exchange is not supported");
        }

        // §4.2.8: one share per group, and every share for a group the client also listed. Each list is read once
        // (a set, not a scan of one list per entry of the other): a hello with thousands of each costs linear time.
        if (CodePointSet.FirstRepeat(hello.KeyShares.AsSpan(), static share => (ushort)share.Group) is { } repeated)
            return Fail(AlertDescription.IllegalParameter, $"key_share offers group 0x{repeated:x4} twice (§4.2.8)");
        var listedGroups = CodePointSet.Of(hello.SupportedGroups.AsSpan(), static group => (ushort)group);
        foreach (var share in hello.KeyShares)
        {
            if (!listedGroups.Contains((ushort)share.Group))
                return Fail(AlertDescription.IllegalParameter, $"key_share for group 0x{(ushort)share.Group:x4} not in supported_groups");
        }

        // A share we can use beats a more preferred group that would cost a round trip.
        var clientShare = Option<KeyShareEntry>.None;
        var group = Option<NamedGroup>.None;
        foreach (var candidate in preferences.Groups)
        {
            if (ShareFor(hello.KeyShares, candidate) is { } share)
            {
                clientShare = Some(share);
                group = Some(candidate);
                break;
            }
        }
        if (group.IsNone) group = FirstShared(preferences.Groups, hello.SupportedGroups);
        if (group.IsNone && hasGroups) return Fail(AlertDescription.HandshakeFailure, "no key exchange group in common");

        var scheme = FirstShared(preferences.SignatureSchemes, hello.SignatureAlgorithms);
        if (scheme.IsNone && !offersPsk)
            return Fail(AlertDescription.HandshakeFailure, "no signature scheme the server key can produce is offered");

        // RFC 7301 §3.2: ALPN applies only when both sides use it; no overlap is a fatal mismatch.
        var protocol = Option<string>.None;
        if (hello.Alpn.Count > 0 && preferences.ApplicationProtocols.Count > 0)
        {
            protocol = FirstShared(preferences.ApplicationProtocols, hello.Alpn);
            if (protocol.IsNone) return Fail(AlertDescription.NoApplicationProtocol, "no ALPN protocol in common");
        }

        return FinSucc(new Negotiation(
            Version: ProtocolVersion.Tls13,
            CipherSuite: (CipherSuite)suite,
            Group: group.IfNone(default(NamedGroup)),
            ClientKeyShare: clientShare,
            SignatureScheme: scheme,
            ApplicationProtocol: protocol,
            ServerName: hello.ServerName,
            OfferedPsks: hello.PreSharedKey,
            PskDheKeOffered: modes.Contains(PskKeyExchangeMode.psk_dhe_ke),
            ClientOfferedPskModes: hello.PskKeyExchangeModes.IsSome,
            PostHandshakeAuth: hello.PostHandshakeAuth)
        {
            OffersKeyExchange = hasGroups,
            PskKeOffered = modes.Contains(PskKeyExchangeMode.psk_ke),
        });
    }

    /// <summary>
    /// Negotiates the second ClientHello after a HelloRetryRequest. §4.1.2 lets the client change only
    /// key_share (now one share, for the requested group), early_data (dropped), cookie, pre_shared_key
    /// and padding (see <see cref="HelloRetryRules"/>); anything else changed, or a share for another group, is
    /// illegal_parameter. The
    /// outcome must keep the suite the HelloRetryRequest announced (§4.1.4).
    /// </summary>
    /// <param name="first">The ClientHello that drew the HelloRetryRequest.</param>
    /// <param name="retryRequested">The negotiation of <paramref name="first"/> (its Group is the one requested).</param>
    /// <param name="second">The ClientHello that answers the HelloRetryRequest.</param>
    /// <param name="preferences">The same preferences used for the first ClientHello.</param>
    public static Fin<Negotiation> NegotiateRetry(
        ClientHello first,
        Negotiation retryRequested,
        ClientHello second,
        ServerPreferences preferences) =>
        NegotiateRetry(first, retryRequested, second, preferences, Option<Bytes>.None);

    /// <summary>
    /// <see cref="NegotiateRetry(ClientHello, Negotiation, ClientHello, ServerPreferences)"/> for a HelloRetryRequest
    /// that may have carried a cookie: <paramref name="expectedCookie"/> must come back unchanged, and a cookie the
    /// server never issued must not come at all.
    /// </summary>
    /// <param name="first">The ClientHello that drew the HelloRetryRequest.</param>
    /// <param name="retryRequested">The negotiation of <paramref name="first"/> (its Group is the one requested).</param>
    /// <param name="second">The ClientHello that answers the HelloRetryRequest.</param>
    /// <param name="preferences">The same preferences used for the first ClientHello.</param>
    /// <param name="expectedCookie">The cookie the HelloRetryRequest carried, if any.</param>
    public static Fin<Negotiation> NegotiateRetry(
        ClientHello first,
        Negotiation retryRequested,
        ClientHello second,
        ServerPreferences preferences,
        Option<Bytes> expectedCookie)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(retryRequested);
        ArgumentNullException.ThrowIfNull(second);
        if (second.KeyShares.Count != 1 || second.KeyShares[0].Group != retryRequested.Group)
            return Fail(AlertDescription.IllegalParameter, $"second ClientHello must carry exactly one key share, for {retryRequested.Group}");
        if (HelloRetryRules.IllegalChange(first, second) is { } changed)
            return Fail(AlertDescription.IllegalParameter, $"second ClientHello changed {changed}, which RFC 8446 §4.1.2 does not allow after a HelloRetryRequest");
        if (second.EarlyData)
            return Fail(AlertDescription.IllegalParameter, "second ClientHello still offers early_data");
        var cookieEchoed = expectedCookie.Match(
            cookie => second.Cookie.Exists(echoed => echoed == cookie),
            () => second.Cookie.IsNone);
        if (!cookieEchoed)
            return Fail(AlertDescription.IllegalParameter, expectedCookie.IsSome ? "cookie not echoed unchanged" : "cookie sent that the server never issued");

        return Negotiate(second, preferences).Bind(result =>
            result.CipherSuite != retryRequested.CipherSuite
                ? Fail(AlertDescription.IllegalParameter, "second ClientHello leads to a different cipher suite than the HelloRetryRequest")
                : result.HelloRetryRequired || result.Group != retryRequested.Group
                    ? Fail(AlertDescription.IllegalParameter, "second ClientHello share is not usable for the requested group")
                    : FinSucc(result));
    }

    private static KeyShareEntry? ShareFor(EquatableArray<KeyShareEntry> shares, NamedGroup group)
    {
        foreach (var share in shares)
        {
            if (share.Group == group) return share;
        }
        return null;
    }

    private static Option<T> FirstShared<T>(EquatableArray<T> preferred, EquatableArray<T> offered)
    {
        foreach (var candidate in preferred)
        {
            if (offered.Contains(candidate)) return Some(candidate!);
        }
        return None;
    }

    private static Fin<Negotiation> Fail(AlertDescription alert, string reason) => FinFail<Negotiation>(AlertError.Of(alert, reason));
}
