using System.Security.Cryptography;
using LanguageExt;
using Tickets.Core.Protocol;
using static LanguageExt.Prelude;
using BouncyCastleX25519 = Org.BouncyCastle.Math.EC.Rfc7748.X25519;

namespace Tickets.Crypto;

/// <summary>Who does the x25519 arithmetic (RFC 7748); the base library has no Curve25519.</summary>
internal enum X25519Implementation
{
    /// <summary>libsodium's native code through Geralt: about three times faster than the managed code.</summary>
    Libsodium,

    /// <summary>BouncyCastle's managed code: runs wherever .NET runs, so it is the fallback.</summary>
    BouncyCastle,
}

/// <summary>
/// x25519 (RFC 7748) through libsodium where its native library loads, else through BouncyCastle. The private
/// scalar is 32 random bytes; both libraries clamp it inside the scalar multiplication. Each instance is one
/// ephemeral key pair, used for one handshake and wiped when disposed.
/// </summary>
internal sealed class X25519KeyExchange : KeyExchange
{
    private const int KeyLength = 32;

    private readonly byte[] privateKey;
    private readonly X25519Implementation implementation;

    private X25519KeyExchange(byte[] privateKey, X25519Implementation implementation)
    {
        this.privateKey = privateKey;
        this.implementation = implementation;
        var publicKey = new byte[KeyLength];
        if (implementation == X25519Implementation.Libsodium)
        {
            Geralt.X25519.ComputePublicKey(publicKey, privateKey);
        }
        else
        {
            BouncyCastleX25519.GeneratePublicKey(privateKey, publicKey);
        }

        PublicKey = publicKey;
    }

    /// <summary>
    /// libsodium when it loaded and reproduced the RFC 7748 §6.1 public key at start-up, BouncyCastle otherwise (for
    /// example on a platform the libsodium package has no binary for). Decided once per process.
    /// </summary>
    public static X25519Implementation Preferred { get; } = LibsodiumWorks() ? X25519Implementation.Libsodium : X25519Implementation.BouncyCastle;

    public static X25519KeyExchange Generate() => Generate(Preferred);

    /// <summary>A fresh key pair computed by <paramref name="implementation"/>; tests use it to run both paths.</summary>
    internal static X25519KeyExchange Generate(X25519Implementation implementation) =>
        new(RandomNumberGenerator.GetBytes(KeyLength), implementation);

    /// <summary>
    /// Uses a given private key, computed by the <see cref="Preferred"/> implementation: the server's entropy source draws
    /// the key (tests fix it to reproduce published vectors).
    /// </summary>
    internal static X25519KeyExchange FromPrivateKey(ReadOnlySpan<byte> privateKey) => FromPrivateKey(privateKey, Preferred);

    /// <summary>Uses a given private key with a chosen implementation: an entropy source that names one, or a test vector through each path.</summary>
    internal static X25519KeyExchange FromPrivateKey(ReadOnlySpan<byte> privateKey, X25519Implementation implementation) =>
        privateKey.Length == KeyLength
            ? new(privateKey.ToArray(), implementation)
            : throw new ArgumentException("An x25519 private key is 32 bytes.", nameof(privateKey));

    public override NamedGroup Group => NamedGroup.x25519;

    public override byte[] PublicKey { get; }

    /// <summary>Which library computes this key pair's agreement.</summary>
    internal X25519Implementation Implementation => implementation;

    public override Fin<byte[]> DeriveSharedSecret(ReadOnlySpan<byte> peerPublicKey)
    {
        if (peerPublicKey.Length != KeyLength)
            return FinFail<byte[]>(AlertError.Of(AlertDescription.IllegalParameter, $"x25519 key share must be {KeyLength} bytes, got {peerPublicKey.Length}."));

        var secret = new byte[KeyLength];
        // RFC 7748 §6.1 / RFC 8446 §7.4.2: an all-zero secret means a low-order peer point. Both libraries report
        // it (libsodium also refuses the known low-order encodings up front); the explicit check keeps the rule
        // independent of either.
        if (!Agree(peerPublicKey, secret) || !secret.AsSpan().ContainsAnyExcept((byte)0))
        {
            CryptographicOperations.ZeroMemory(secret);
            return FinFail<byte[]>(AlertError.Of(AlertDescription.IllegalParameter, "x25519 shared secret is all zeros."));
        }

        return FinSucc(secret);
    }

    private bool Agree(ReadOnlySpan<byte> peerPublicKey, Span<byte> secret)
    {
        if (implementation == X25519Implementation.BouncyCastle)
        {
            return BouncyCastleX25519.CalculateAgreement(privateKey, peerPublicKey, secret);
        }

        try
        {
            Geralt.X25519.ComputeSharedSecret(secret, privateKey, peerPublicKey);
            return true;
        }
        catch (CryptographicException)
        {
            // libsodium's answer to a low-order point (crypto_scalarmult returns -1).
            return false;
        }
    }

    public override void Dispose() => CryptographicOperations.ZeroMemory(privateKey);

    /// <summary>
    /// The probe behind <see cref="Preferred"/>: the native library must load, initialise and compute the published
    /// public key for the published private key (RFC 7748 §6.1, Alice). Anything else, including a missing binary
    /// (PlatformNotSupportedException) or a wrong answer, leaves x25519 to BouncyCastle.
    /// </summary>
    private static bool LibsodiumWorks()
    {
        try
        {
            var publicKey = new byte[KeyLength];
            Geralt.X25519.ComputePublicKey(publicKey, Convert.FromHexString(Rfc7748AlicePrivate));
            return publicKey.AsSpan().SequenceEqual(Convert.FromHexString(Rfc7748AlicePublic));
        }
        catch (Exception error) when (error is PlatformNotSupportedException or DllNotFoundException or EntryPointNotFoundException
                                          or BadImageFormatException or NotSupportedException or InvalidOperationException
                                          or TypeInitializationException or CryptographicException)
        {
            return false;
        }
    }

    private const string Rfc7748AlicePrivate = "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a";
    private const string Rfc7748AlicePublic = "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a";
}
