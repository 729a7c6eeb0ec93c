using LanguageExt;
using Tickets.Core.Protocol;

namespace Tickets.Crypto;

/// <summary>
/// Our half of one (EC)DHE key exchange (RFC 8446 §4.2.8, §7.4): an ephemeral key pair in a named group,
/// its public share in wire form, and the shared secret computed from the peer's share. One instance
/// serves one handshake; disposing it destroys the private key.
/// </summary>
public abstract class KeyExchange : IDisposable
{
    /// <summary>The groups we can do, in the server's preference order.</summary>
    public static IReadOnlyList<NamedGroup> SupportedGroups { get; } = [NamedGroup.x25519, NamedGroup.secp256r1, NamedGroup.secp384r1];

    public static bool IsSupported(NamedGroup group) => group is NamedGroup.x25519 or NamedGroup.secp256r1 or NamedGroup.secp384r1;

    /// <summary>Generates a fresh ephemeral key pair in <paramref name="group"/>; the group must be supported.</summary>
    public static KeyExchange Create(NamedGroup group) => group switch
    {
        NamedGroup.x25519 => X25519KeyExchange.Generate(),
        NamedGroup.secp256r1 or NamedGroup.secp384r1 => EcdhKeyExchange.Generate(group),
        _ => throw new ArgumentOutOfRangeException(nameof(group), $"Unsupported group 0x{(ushort)group:x4}."),
    };

    public abstract NamedGroup Group { get; }

    /// <summary>KeyShareEntry.key_exchange to send: 32 bytes for x25519, 0x04 || X || Y for the NIST curves.</summary>
    public abstract byte[] PublicKey { get; }

    /// <summary>
    /// The shared secret with the peer's key_exchange bytes. A malformed or invalid peer share (wrong length,
    /// not on the curve, or a low-order x25519 point giving an all-zero secret) fails with illegal_parameter.
    /// </summary>
    public abstract Fin<byte[]> DeriveSharedSecret(ReadOnlySpan<byte> peerPublicKey);

    public abstract void Dispose();
}
