using LanguageExt;
using static LanguageExt.Prelude;

namespace Tickets.Core.Protocol;

/// <summary>
/// A HelloRetryRequest (RFC 8446 §4.1.4): a ServerHello with a fixed random that asks the client for
/// a share in <see cref="SelectedGroup"/>, optionally echoing state in a cookie.
/// </summary>
/// <param name="LegacySessionIdEcho">The client's legacy_session_id, echoed.</param>
/// <param name="CipherSuite">The suite chosen; the second ClientHello must lead to the same one.</param>
/// <param name="SelectedGroup">The group the client must send a share for.</param>
/// <param name="Cookie">State the client must echo in its second ClientHello, if the server keeps any that way.</param>
public sealed record HelloRetryRequest(Bytes LegacySessionIdEcho, CipherSuite CipherSuite, NamedGroup SelectedGroup, Option<Bytes> Cookie)
{
    /// <summary>SHA-256("HelloRetryRequest"), the random that marks a ServerHello as a retry request.</summary>
    public static ReadOnlySpan<byte> SpecialRandom =>
    [
        0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11, 0xBE, 0x1D, 0x8C, 0x02, 0x1E, 0x65, 0xB8, 0x91,
        0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB, 0x8C, 0x5E, 0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C,
    ];
}

/// <summary>Encodes and decodes <see cref="HelloRetryRequest"/> messages.</summary>
internal static class HelloRetryRequestCodec
{
    /// <summary>The whole handshake message, header included: a ServerHello carrying the special random.</summary>
    public static byte[] Encode(HelloRetryRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        // Same order as RFC 8448 §5, so the encoding can be checked against it byte for byte.
        var extensions = new List<Extension> { new(ExtensionType.KeyShare, ExtensionBodies.KeyShareRetry(request.SelectedGroup)) };
        request.Cookie.IfSome(cookie => extensions.Add(new(ExtensionType.Cookie, ExtensionBodies.Cookie(cookie))));
        extensions.Add(new(ExtensionType.SupportedVersions, ExtensionBodies.SupportedVersionSelected(ProtocolVersion.Tls13)));
        return ServerHelloLayout.Encode(HelloRetryRequest.SpecialRandom, request.LegacySessionIdEcho, request.CipherSuite, extensions);
    }

    /// <summary>
    /// Decodes a HelloRetryRequest (used by tests and tools; the server only sends them). A ServerHello without the
    /// special random is unexpected_message; a missing key_share is missing_extension.
    /// </summary>
    public static Fin<HelloRetryRequest> Decode(ReadOnlySpan<byte> message)
    {
        var problem = ServerHelloLayout.Decode(message, out var layout);
        if (problem is not null) return FinFail<HelloRetryRequest>(problem);
        if (!layout.Random.Span.SequenceEqual(HelloRetryRequest.SpecialRandom))
            return FinFail<HelloRetryRequest>(AlertError.Of(AlertDescription.UnexpectedMessage, "ServerHello is not a HelloRetryRequest"));

        var group = Option<NamedGroup>.None;
        var cookie = Option<Bytes>.None;
        foreach (var extension in layout.Extensions)
        {
            var reader = new WireReader(extension.Data);
            switch (extension.Type)
            {
                case ExtensionType.KeyShare:
                    if (!reader.TryReadUInt16(out var selected) || !reader.IsEmpty)
                        return FinFail<HelloRetryRequest>(AlertError.Of(AlertDescription.DecodeError, "HelloRetryRequest key_share malformed"));
                    group = Some((NamedGroup)selected);
                    break;
                case ExtensionType.Cookie:
                    if (!reader.TryReadVector16(1, 0xFFFF, out var value) || !reader.IsEmpty)
                        return FinFail<HelloRetryRequest>(AlertError.Of(AlertDescription.DecodeError, "HelloRetryRequest cookie malformed"));
                    cookie = Some(Bytes.Own(value.ToArray()));
                    break;
            }
        }
        return group.Match(
            g => FinSucc(new HelloRetryRequest(layout.SessionId, layout.Suite, g, cookie)),
            () => FinFail<HelloRetryRequest>(AlertError.Of(AlertDescription.MissingExtension, "HelloRetryRequest without key_share")));
    }
}
