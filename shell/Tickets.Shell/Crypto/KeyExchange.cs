using LanguageExt;

namespace Tickets.Shell.Crypto;

/// <summary>
/// Our half of one (EC)DHE key exchange (RFC 8446 §4.2.8, §7.4): an ephemeral key pair in a named group,
/// its public share in wire form, and the shared secret computed from the peer's share. One instance
/// serves one handshake; disposing it destroys the private key.
/// </summary>
public abstract class KeyExchange : IDisposable
{
    public const ushort X25519 = 0x001D;
    public const ushort Secp256r1 = 0x0017;
    public const ushort Secp384r1 = 0x0018;

    /// <summary>The groups we can do, in the server's preference order.</summary>
    public static IReadOnlyList<ushort> SupportedGroups { get; } = [X25519, Secp256r1, Secp384r1];

    public static bool IsSupported(ushort group) => group is X25519 or Secp256r1 or Secp384r1;

    /// <summary>Generates a fresh ephemeral key pair in <paramref name="group"/>; the group must be supported.</summary>
    public static KeyExchange Create(ushort group) => group switch
    {
        X25519 => X25519KeyExchange.Generate(),
        Secp256r1 => EcdhKeyExchange.Generate(group),
        Secp384r1 => EcdhKeyExchange.Generate(group),
        _ => throw new ArgumentOutOfRangeException(nameof(group), $"Unsupported group 0x{group:x4}."),
    };

    /// <summary>NamedGroup code point.</summary>
    public abstract ushort Group { get; }

    /// <summary>KeyShareEntry.key_exchange to send: 32 bytes for x25519, 0x04 || X || Y for the NIST curves.</summary>
    public abstract byte[] PublicKey { get; }

    /// <summary>
    /// The shared secret with the peer's key_exchange bytes. A malformed or invalid peer share (wrong length,
    /// not on the curve, or a low-order x25519 point giving an all-zero secret) fails with illegal_parameter.
    /// </summary>
    public abstract Fin<byte[]> DeriveSharedSecret(ReadOnlySpan<byte> peerPublicKey);

    public abstract void Dispose();
}
