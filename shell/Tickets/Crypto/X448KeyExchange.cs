using System.Security.Cryptography;
using LanguageExt;
using Org.BouncyCastle.Math.EC.Rfc7748;
using Tickets.Core.Protocol;
using static LanguageExt.Prelude;

namespace Tickets.Crypto;

/// <summary>
/// x448 (RFC 7748) through BouncyCastle's RFC 7748 functions, as for x25519: 56-byte keys and secrets, the private
/// scalar from RandomNumberGenerator (clamped inside the scalar multiplication).
/// </summary>
internal sealed class X448KeyExchange : KeyExchange
{
    private const int KeyLength = X448.PointSize;

    private readonly byte[] privateKey;

    private X448KeyExchange(byte[] privateKey)
    {
        this.privateKey = privateKey;
        var publicKey = new byte[KeyLength];
        X448.GeneratePublicKey(privateKey, publicKey);
        PublicKey = publicKey;
    }

    public static X448KeyExchange Generate() => new(RandomNumberGenerator.GetBytes(X448.ScalarSize));

    public override NamedGroup Group => NamedGroup.x448;

    public override byte[] PublicKey { get; }

    public override Fin<byte[]> DeriveSharedSecret(ReadOnlySpan<byte> peerPublicKey)
    {
        if (peerPublicKey.Length != KeyLength)
            return FinFail<byte[]>(AlertError.Of(AlertDescription.IllegalParameter, $"x448 key share must be {KeyLength} bytes, got {peerPublicKey.Length}."));

        var secret = new byte[KeyLength];
        // RFC 7748 §6.2 / RFC 8446 §7.4.2: a low-order peer point gives the all-zero secret, which must be refused.
        if (!X448.CalculateAgreement(privateKey, peerPublicKey, secret) || !secret.AsSpan().ContainsAnyExcept((byte)0))
            return FinFail<byte[]>(AlertError.Of(AlertDescription.IllegalParameter, "x448 shared secret is all zeros."));
        return FinSucc(secret);
    }

    public override void Dispose() => CryptographicOperations.ZeroMemory(privateKey);
}
