using System.Security.Cryptography;
using LanguageExt;
using Org.BouncyCastle.Math.EC.Rfc7748;
using Tickets.Core.Protocol;
using static LanguageExt.Prelude;

namespace Tickets.Crypto;

/// <summary>
/// x25519 (RFC 7748) through BouncyCastle, since the base library has no Curve25519. The private scalar
/// comes from RandomNumberGenerator; clamping happens inside the scalar multiplication.
/// </summary>
internal sealed class X25519KeyExchange : KeyExchange
{
    private const int KeyLength = 32;

    private readonly byte[] privateKey;

    // BouncyCastle's static RFC 7748 functions work on spans: no key-parameter or agreement objects per
    // handshake, only the scalar multiplications themselves.
    private X25519KeyExchange(byte[] privateKey)
    {
        this.privateKey = privateKey;
        var publicKey = new byte[KeyLength];
        X25519.GeneratePublicKey(privateKey, publicKey);
        PublicKey = publicKey;
    }

    public static X25519KeyExchange Generate() => new(RandomNumberGenerator.GetBytes(KeyLength));

    /// <summary>Uses a given private key: the server's entropy source draws it (tests fix it to reproduce published vectors).</summary>
    internal static X25519KeyExchange FromPrivateKey(ReadOnlySpan<byte> privateKey) =>
        privateKey.Length == KeyLength
            ? new(privateKey.ToArray())
            : throw new ArgumentException("An x25519 private key is 32 bytes.", nameof(privateKey));

    public override NamedGroup Group => NamedGroup.x25519;

    public override byte[] PublicKey { get; }

    public override Fin<byte[]> DeriveSharedSecret(ReadOnlySpan<byte> peerPublicKey)
    {
        if (peerPublicKey.Length != KeyLength)
            return FinFail<byte[]>(AlertError.Of(AlertDescription.IllegalParameter, $"x25519 key share must be {KeyLength} bytes, got {peerPublicKey.Length}."));

        var secret = new byte[KeyLength];
        // RFC 7748 §6.1 / RFC 8446 §7.4.2: an all-zero secret means a low-order peer point. BouncyCastle
        // reports it (false); the explicit check keeps the rule independent of the library.
        if (!X25519.CalculateAgreement(privateKey, peerPublicKey, secret) || !secret.AsSpan().ContainsAnyExcept((byte)0))
            return FinFail<byte[]>(AlertError.Of(AlertDescription.IllegalParameter, "x25519 shared secret is all zeros."));
        return FinSucc(secret);
    }

    public override void Dispose() => CryptographicOperations.ZeroMemory(privateKey);
}
