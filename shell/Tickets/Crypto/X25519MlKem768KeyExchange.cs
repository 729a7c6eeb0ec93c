using System.Security.Cryptography;
using LanguageExt;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Kems;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;
using Tickets.Core.Protocol;
using static LanguageExt.Prelude;

namespace Tickets.Crypto;

/// <summary>
/// X25519MLKEM768 (0x11EC, draft-ietf-tls-ecdhe-mlkem): ML-KEM-768 (FIPS 203, from BouncyCastle) and x25519 at once,
/// so the secret stands as long as either does. The client sends its encapsulation key then its x25519 key
/// (1184 + 32 bytes); the server answers with the ML-KEM ciphertext then its own x25519 key (1088 + 32); the shared
/// secret is the ML-KEM secret then the x25519 secret (32 + 32). ML-KEM comes first in all three.
/// </summary>
/// <remarks>
/// The server only encapsulates: it never needs an ML-KEM key pair, so one is generated only if <see cref="PublicKey"/>
/// is read (the client's role). The base library's MLKem needs OpenSSL 3.5, which this platform's 3.0 is not; one
/// implementation, tested here, beats a second path no test could reach.
/// </remarks>
internal sealed class X25519MlKem768KeyExchange : KeyExchange
{
    private const int EncapsulationKeyLength = 1184;
    private const int CiphertextLength = 1088;
    private const int X25519Length = 32;

    private static readonly MLKemParameters MlKem768 = MLKemParameters.ml_kem_768;

    // Made through the factory, so whichever x25519 implementation the server uses serves the hybrid too.
    private readonly KeyExchange classical = KeyExchange.Create(NamedGroup.x25519);
    private MLKemPrivateKeyParameters? decapsulationKey;
    private byte[]? publicKey;

    private X25519MlKem768KeyExchange()
    {
    }

    public static X25519MlKem768KeyExchange Create() => new();

    public override NamedGroup Group => NamedGroup.X25519MLKEM768;

    /// <summary>The client's share: encapsulation key || x25519 key. The ML-KEM key pair is made on first read.</summary>
    public override byte[] PublicKey => publicKey ??= GenerateClientShare();

    /// <summary>
    /// The server's answer: checks the client's encapsulation key (length and the FIPS 203 §7.2 modulus check) and its
    /// x25519 key (length, no all-zero secret), then encapsulates. Any failure is illegal_parameter, as the draft says.
    /// </summary>
    public override Fin<KeyShareAnswer> Answer(ReadOnlySpan<byte> clientShare)
    {
        if (clientShare.Length != EncapsulationKeyLength + X25519Length)
            return Illegal<KeyShareAnswer>($"X25519MLKEM768 client share must be {EncapsulationKeyLength + X25519Length} bytes, got {clientShare.Length}.");

        MLKemPublicKeyParameters encapsulationKey;
        try
        {
            // BouncyCastle runs the modulus check here: every coefficient must decode below q = 3329.
            encapsulationKey = MLKemPublicKeyParameters.FromEncoding(MlKem768, clientShare[..EncapsulationKeyLength].ToArray());
        }
        catch (ArgumentException error)
        {
            return Illegal<KeyShareAnswer>($"X25519MLKEM768 encapsulation key refused: {error.Message}");
        }

        var x25519 = clientShare[EncapsulationKeyLength..].ToArray();
        return classical.DeriveSharedSecret(x25519).Map(classicalSecret =>
        {
            var encapsulator = new MLKemEncapsulator(MlKem768);
            encapsulator.Init(encapsulationKey);
            var share = new byte[CiphertextLength + X25519Length];
            var secret = new byte[encapsulator.SecretLength + classicalSecret.Length];
            encapsulator.Encapsulate(share.AsSpan(0, CiphertextLength), secret.AsSpan(0, encapsulator.SecretLength));
            classical.PublicKey.CopyTo(share, CiphertextLength);
            classicalSecret.CopyTo(secret, encapsulator.SecretLength);
            CryptographicOperations.ZeroMemory(classicalSecret);
            return new KeyShareAnswer(share, secret);
        });
    }

    /// <summary>The client's side: decapsulates the server's ciphertext and completes x25519 with its key.</summary>
    public override Fin<byte[]> DeriveSharedSecret(ReadOnlySpan<byte> peerPublicKey)
    {
        if (decapsulationKey is null)
            throw new InvalidOperationException("Send PublicKey before deriving: the client's share comes first.");
        if (peerPublicKey.Length != CiphertextLength + X25519Length)
            return Illegal<byte[]>($"X25519MLKEM768 server share must be {CiphertextLength + X25519Length} bytes, got {peerPublicKey.Length}.");

        var classicalResult = classical.DeriveSharedSecret(peerPublicKey[CiphertextLength..]);
        var ciphertext = peerPublicKey[..CiphertextLength].ToArray();
        return classicalResult.Map(classicalSecret =>
        {
            var decapsulator = new MLKemDecapsulator(MlKem768);
            decapsulator.Init(decapsulationKey);
            var secret = new byte[decapsulator.SecretLength + classicalSecret.Length];
            // ML-KEM never fails here: a forged ciphertext yields an unrelated secret (implicit rejection), and the
            // handshake then fails at Finished.
            decapsulator.Decapsulate(ciphertext, secret.AsSpan(0, decapsulator.SecretLength));
            classicalSecret.CopyTo(secret, decapsulator.SecretLength);
            CryptographicOperations.ZeroMemory(classicalSecret);
            return secret;
        });
    }

    public override void Dispose()
    {
        classical.Dispose();
        decapsulationKey = null;
    }

    private byte[] GenerateClientShare()
    {
        var generator = new MLKemKeyPairGenerator();
        generator.Init(new MLKemKeyGenerationParameters(new SecureRandom(), MlKem768));
        var pair = generator.GenerateKeyPair();
        decapsulationKey = (MLKemPrivateKeyParameters)pair.Private;
        return [.. ((MLKemPublicKeyParameters)pair.Public).GetEncoded(), .. classical.PublicKey];
    }

    private static Fin<T> Illegal<T>(string reason) => FinFail<T>(AlertError.Of(AlertDescription.IllegalParameter, reason));
}
