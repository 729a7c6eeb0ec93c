using LanguageExt;
using static LanguageExt.Prelude;

namespace Tickets.Core.Protocol;

/// <summary>
/// A ServerHello (RFC 8446 §4.1.3) that completes negotiation: always TLS 1.3, with an (EC)DHE share, optionally
/// accepting one PSK identity; or, in psk_ke mode, accepting a PSK identity without any share. A HelloRetryRequest is
/// the separate <see cref="HelloRetryRequest"/>.
/// </summary>
/// <param name="Random">The server's 32 random bytes.</param>
/// <param name="LegacySessionIdEcho">The client's legacy_session_id, echoed.</param>
/// <param name="CipherSuite">The suite chosen.</param>
/// <param name="KeyShare">
/// The server's share, in the group of one of the client's shares; none only in psk_ke mode, where a PSK identity must
/// be selected.
/// </param>
/// <param name="SelectedPskIdentity">The index of the accepted pre_shared_key identity, if one was.</param>
public sealed record ServerHello(
    Bytes Random,
    Bytes LegacySessionIdEcho,
    CipherSuite CipherSuite,
    Option<KeyShareEntry> KeyShare,
    Option<ushort> SelectedPskIdentity)
{
    /// <summary>A ServerHello with a share, as every handshake but a psk_ke one has.</summary>
    public ServerHello(Bytes random, Bytes legacySessionIdEcho, CipherSuite cipherSuite, KeyShareEntry keyShare, Option<ushort> selectedPskIdentity)
        : this(random, legacySessionIdEcho, cipherSuite, Some(keyShare), selectedPskIdentity)
    {
    }
}

/// <summary>Encodes the ServerHello the server sends, and decodes <see cref="ServerHello"/> messages (for tests and tools).</summary>
internal static class ServerHelloCodec
{
    /// <summary>Whole handshake message, header included.</summary>
    public static byte[] Encode(ServerHello hello)
    {
        ArgumentNullException.ThrowIfNull(hello);
        if (hello.Random.Length != ClientHelloCodec.RandomLength) throw new ArgumentException("ServerHello random must be 32 bytes", nameof(hello));
        if (hello.KeyShare.IsNone && hello.SelectedPskIdentity.IsNone)
            throw new ArgumentException("A ServerHello without key_share must select a PSK (psk_ke)", nameof(hello));
        // Extension order follows RFC 8448's traces so encodings can be checked against them byte for byte.
        var extensions = new List<Extension>();
        hello.SelectedPskIdentity.IfSome(index => extensions.Add(new(ExtensionType.PreSharedKey, ExtensionBodies.PreSharedKeySelected(index))));
        hello.KeyShare.IfSome(share => extensions.Add(new(ExtensionType.KeyShare, ExtensionBodies.KeyShareSelected(share))));
        extensions.Add(new(ExtensionType.SupportedVersions, ExtensionBodies.SupportedVersionSelected(ProtocolVersion.Tls13)));
        return ServerHelloLayout.Encode(hello.Random, hello.LegacySessionIdEcho, hello.CipherSuite, extensions);
    }

    /// <summary>True when the message is a ServerHello carrying the HelloRetryRequest random.</summary>
    public static bool IsHelloRetryRequest(ReadOnlySpan<byte> message) =>
        message.Length >= HandshakeFraming.HeaderLength + 2 + 32
        && message[0] == (byte)HandshakeType.ServerHello
        && message.Slice(HandshakeFraming.HeaderLength + 2, 32).SequenceEqual(HelloRetryRequest.SpecialRandom);

    /// <summary>Decodes a ServerHello (used by tests and tools; the server only sends them).</summary>
    public static Fin<ServerHello> Decode(ReadOnlySpan<byte> message)
    {
        var problem = ServerHelloLayout.Decode(message, out var layout);
        if (problem is not null) return FinFail<ServerHello>(problem);
        if (layout.Random.Span.SequenceEqual(HelloRetryRequest.SpecialRandom))
            return FinFail<ServerHello>(AlertError.Of(AlertDescription.UnexpectedMessage, "ServerHello is a HelloRetryRequest"));

        var keyShare = Option<KeyShareEntry>.None;
        var selectedPsk = Option<ushort>.None;
        foreach (var extension in layout.Extensions)
        {
            var reader = new WireReader(extension.Data);
            switch (extension.Type)
            {
                case ExtensionType.KeyShare:
                    if (!reader.TryReadUInt16(out var group) || !reader.TryReadVector16(1, 0xFFFF, out var key) || !reader.IsEmpty)
                        return FinFail<ServerHello>(AlertError.Of(AlertDescription.DecodeError, "ServerHello key_share malformed"));
                    keyShare = Some(new KeyShareEntry((NamedGroup)group, Bytes.Own(key.ToArray())));
                    break;
                case ExtensionType.PreSharedKey:
                    if (!reader.TryReadUInt16(out var index) || !reader.IsEmpty)
                        return FinFail<ServerHello>(AlertError.Of(AlertDescription.DecodeError, "ServerHello pre_shared_key malformed"));
                    selectedPsk = Some(index);
                    break;
            }
        }
        // Without a share the ServerHello must accept a PSK: that is psk_ke (RFC 8446 §4.2.9).
        return keyShare.IsSome || selectedPsk.IsSome
            ? FinSucc(new ServerHello(layout.Random, layout.SessionId, layout.Suite, keyShare, selectedPsk))
            : FinFail<ServerHello>(AlertError.Of(AlertDescription.MissingExtension, "ServerHello without key_share or pre_shared_key"));
    }
}
