using LanguageExt;
using Tickets.Core.Protocol;

namespace Tickets.Crypto;

/// <summary>
/// Our half of one key exchange (RFC 8446 §4.2.8, §7.4): an ephemeral key in a named group, its share in wire form,
/// and the shared secret computed from the peer's share. One instance serves one handshake; disposing it destroys
/// the private key.
/// </summary>
internal abstract class KeyExchange : IDisposable
{
    /// <summary>
    /// Every group this server can do. Which of them a server offers, and in which order, is its configuration
    /// (<see cref="Core.Negotiation.ServerPreferences.DefaultGroups"/> unless changed).
    /// </summary>
    public static IReadOnlyList<NamedGroup> SupportedGroups { get; } =
    [
        NamedGroup.X25519MLKEM768, NamedGroup.x25519, NamedGroup.secp256r1, NamedGroup.x448, NamedGroup.secp521r1, NamedGroup.secp384r1,
        NamedGroup.ffdhe2048, NamedGroup.ffdhe3072, NamedGroup.ffdhe4096, NamedGroup.ffdhe6144, NamedGroup.ffdhe8192,
    ];

    /// <summary>True for the groups <see cref="Create"/> can make.</summary>
    public static bool IsSupported(NamedGroup group) => SupportedGroups.Contains(group);

    /// <summary>Generates a fresh ephemeral key in <paramref name="group"/>; the group must be supported.</summary>
    public static KeyExchange Create(NamedGroup group) => group switch
    {
        NamedGroup.x25519 => X25519KeyExchange.Generate(),
        NamedGroup.x448 => X448KeyExchange.Generate(),
        NamedGroup.secp256r1 or NamedGroup.secp384r1 or NamedGroup.secp521r1 => EcdhKeyExchange.Generate(group),
        NamedGroup.ffdhe2048 or NamedGroup.ffdhe3072 or NamedGroup.ffdhe4096 or NamedGroup.ffdhe6144 or NamedGroup.ffdhe8192
            => FfdheKeyExchange.Generate(group),
        NamedGroup.X25519MLKEM768 => X25519MlKem768KeyExchange.Create(),
        _ => throw new ArgumentOutOfRangeException(nameof(group), $"Unsupported group 0x{(ushort)group:x4}."),
    };

    /// <summary>The group this key belongs to.</summary>
    public abstract NamedGroup Group { get; }

    /// <summary>
    /// Our key_exchange bytes as the side that speaks first (the client's role): 32 bytes for x25519, 0x04 || X || Y
    /// for the NIST curves, Y left-padded to the size of p for FFDHE, encapsulation key || x25519 key for the hybrid.
    /// </summary>
    public abstract byte[] PublicKey { get; }

    /// <summary>
    /// The shared secret with the peer's key_exchange bytes (our share being <see cref="PublicKey"/>). A malformed or
    /// invalid peer share (wrong length, not on the curve, out of range, or one giving an all-zero secret) fails with
    /// illegal_parameter.
    /// </summary>
    public abstract Fin<byte[]> DeriveSharedSecret(ReadOnlySpan<byte> peerPublicKey);

    /// <summary>
    /// The server's side: our answer to the client's share and the shared secret. For Diffie-Hellman groups the answer
    /// is <see cref="PublicKey"/>; a KEM group answers with a ciphertext made for the client's key, so its answer
    /// exists only once the client's share is known. Invalid client shares fail with illegal_parameter.
    /// </summary>
    public virtual Fin<KeyShareAnswer> Answer(ReadOnlySpan<byte> clientShare) =>
        DeriveSharedSecret(clientShare).Map(secret => new KeyShareAnswer(PublicKey, secret));

    public abstract void Dispose();
}

/// <summary>What the server sends in its key_share (<paramref name="Share"/>) and the secret both sides now hold.</summary>
/// <param name="Share">The ServerHello's key_exchange bytes.</param>
/// <param name="SharedSecret">The (EC)DHE input to the key schedule (RFC 8446 §7.1); the caller zeroes it when done.</param>
internal sealed record KeyShareAnswer(byte[] Share, byte[] SharedSecret);
