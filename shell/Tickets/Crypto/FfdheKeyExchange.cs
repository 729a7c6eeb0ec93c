using LanguageExt;
using Org.BouncyCastle.Crypto.Agreement;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Utilities;
using Tickets.Core.Protocol;
using static LanguageExt.Prelude;
using BigInteger = Org.BouncyCastle.Math.BigInteger;

namespace Tickets.Crypto;

/// <summary>
/// Finite-field Diffie-Hellman in the RFC 7919 groups ffdhe2048 to ffdhe8192, with BouncyCastle's DH. Values travel
/// as big-endian integers left-padded to the size of p (RFC 8446 §4.2.8.1), and the shared secret keeps that width,
/// leading zeros included (§7.4.1).
/// </summary>
/// <remarks>
/// The private exponent is short, as RFC 7919 §5.2 allows and OpenSSL does: 225 bits for ffdhe2048 up to 400 for
/// ffdhe8192, twice each group's strength. A full-size exponent would cost up to twenty times more for no security.
/// BouncyCastle holds the exponent in an immutable BigInteger, which cannot be wiped; it goes with the garbage.
/// </remarks>
internal sealed class FfdheKeyExchange : KeyExchange
{
    private readonly DHParameters parameters;
    private readonly DHPrivateKeyParameters privateKey;
    private readonly BigInteger pMinusOne;
    private readonly int length;

    private FfdheKeyExchange(NamedGroup group, BigInteger? knownExponent)
    {
        Group = group;
        var standard = StandardParameters(group);
        // Without q on purpose: for these safe primes the range check below is the whole validation RFC 7919 §5.1 and
        // RFC 8446 §4.2.8.1 ask; with q, BouncyCastle would also test subgroup membership on every peer value.
        parameters = new DHParameters(standard.P, standard.G, null, standard.L);
        pMinusOne = standard.P.Subtract(BigInteger.One);
        length = (standard.P.BitLength + 7) / 8;
        BigInteger y;
        if (knownExponent is null)
        {
            var generator = new DHKeyPairGenerator();
            generator.Init(new DHKeyGenerationParameters(new SecureRandom(), parameters));
            var pair = generator.GenerateKeyPair();
            privateKey = (DHPrivateKeyParameters)pair.Private;
            y = ((DHPublicKeyParameters)pair.Public).Y;
        }
        else
        {
            privateKey = new DHPrivateKeyParameters(knownExponent, parameters);
            y = standard.G.ModPow(knownExponent, standard.P);
        }

        PublicKey = BigIntegers.AsUnsignedByteArray(length, y);
    }

    public static FfdheKeyExchange Generate(NamedGroup group) => new(group, null);

    /// <summary>Uses a known private exponent; only for tests that need a shared secret with known leading zeros.</summary>
    internal static FfdheKeyExchange FromPrivateExponent(NamedGroup group, BigInteger exponent) => new(group, exponent);

    private static DHParameters StandardParameters(NamedGroup group) => group switch
    {
        NamedGroup.ffdhe2048 => DHStandardGroups.rfc7919_ffdhe2048,
        NamedGroup.ffdhe3072 => DHStandardGroups.rfc7919_ffdhe3072,
        NamedGroup.ffdhe4096 => DHStandardGroups.rfc7919_ffdhe4096,
        NamedGroup.ffdhe6144 => DHStandardGroups.rfc7919_ffdhe6144,
        NamedGroup.ffdhe8192 => DHStandardGroups.rfc7919_ffdhe8192,
        _ => throw new ArgumentOutOfRangeException(nameof(group)),
    };

    public override NamedGroup Group { get; }

    public override byte[] PublicKey { get; }

    public override Fin<byte[]> DeriveSharedSecret(ReadOnlySpan<byte> peerPublicKey)
    {
        if (peerPublicKey.Length != length)
            return Illegal($"{Group} key share must be {length} bytes (the size of p), got {peerPublicKey.Length}.");

        // 1 < Y < p - 1 (RFC 8446 §4.2.8.1, RFC 7919 §5.1): 0, 1 and p - 1 would pin the secret to a known value,
        // and anything from p up is not a residue at all.
        var y = new BigInteger(1, peerPublicKey);
        if (y.CompareTo(BigInteger.One) <= 0 || y.CompareTo(pMinusOne) >= 0)
            return Illegal($"{Group} key share is outside 1 < Y < p-1.");

        try
        {
            var agreement = new DHBasicAgreement();
            agreement.Init(privateKey);
            var secret = agreement.CalculateAgreement(new DHPublicKeyParameters(y, parameters));
            return FinSucc(BigIntegers.AsUnsignedByteArray(length, secret));
        }
        catch (Exception error) when (error is ArgumentException or InvalidOperationException)
        {
            // BouncyCastle's own checks (the same range, a secret of 1): still the peer's bad value.
            return Illegal($"{Group} key share refused: {error.Message}");
        }
    }

    public override void Dispose()
    {
        // Nothing to wipe that BouncyCastle lets us reach (see the remarks).
    }

    private static Fin<byte[]> Illegal(string reason) => FinFail<byte[]>(AlertError.Of(AlertDescription.IllegalParameter, reason));
}
