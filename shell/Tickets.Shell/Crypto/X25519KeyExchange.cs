using System.Security.Cryptography;
using LanguageExt;
using Org.BouncyCastle.Crypto.Agreement;
using Org.BouncyCastle.Crypto.Parameters;
using static LanguageExt.Prelude;

namespace Tickets.Shell.Crypto;

/// <summary>
/// x25519 (RFC 7748) through BouncyCastle, since the base library has no Curve25519. The private scalar
/// comes from RandomNumberGenerator; clamping happens inside the scalar multiplication.
/// </summary>
internal sealed class X25519KeyExchange : KeyExchange
{
    private const int KeyLength = 32;

    private readonly byte[] privateKey;
    private readonly X25519PrivateKeyParameters keyParameters;

    private X25519KeyExchange(byte[] privateKey)
    {
        this.privateKey = privateKey;
        keyParameters = new X25519PrivateKeyParameters(privateKey, 0);
        PublicKey = keyParameters.GeneratePublicKey().GetEncoded();
    }

    public static X25519KeyExchange Generate() => new(RandomNumberGenerator.GetBytes(KeyLength));

    /// <summary>Uses a known private key; for reproducing published test vectors only.</summary>
    internal static X25519KeyExchange FromPrivateKey(ReadOnlySpan<byte> privateKey) =>
        privateKey.Length == KeyLength
            ? new(privateKey.ToArray())
            : throw new ArgumentException("An x25519 private key is 32 bytes.", nameof(privateKey));

    public override ushort Group => X25519;

    public override byte[] PublicKey { get; }

    public override Fin<byte[]> DeriveSharedSecret(ReadOnlySpan<byte> peerPublicKey)
    {
        if (peerPublicKey.Length != KeyLength)
            return FinFail<byte[]>(CryptoFailure.IllegalParameter($"x25519 key share must be {KeyLength} bytes, got {peerPublicKey.Length}."));

        var agreement = new X25519Agreement();
        agreement.Init(keyParameters);
        var secret = new byte[agreement.AgreementSize];
        try
        {
            agreement.CalculateAgreement(new X25519PublicKeyParameters(peerPublicKey), secret, 0);
        }
        catch (InvalidOperationException)
        {
            // BouncyCastle refuses low-order points itself (they give an all-zero result).
            return FinFail<byte[]>(CryptoFailure.IllegalParameter("x25519 shared secret is all zeros."));
        }

        // RFC 7748 §6.1 / RFC 8446 §7.4.2: an all-zero secret means a low-order peer point; check regardless of the library.
        if (!secret.AsSpan().ContainsAnyExcept((byte)0))
            return FinFail<byte[]>(CryptoFailure.IllegalParameter("x25519 shared secret is all zeros."));
        return FinSucc(secret);
    }

    public override void Dispose() => CryptographicOperations.ZeroMemory(privateKey);
}
