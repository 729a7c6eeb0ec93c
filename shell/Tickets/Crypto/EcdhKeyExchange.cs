using System.Security.Cryptography;
using LanguageExt;
using Tickets.Core.Protocol;
using static LanguageExt.Prelude;

namespace Tickets.Crypto;

/// <summary>
/// ECDHE over secp256r1, secp384r1 and secp521r1 with the base library's ECDiffieHellman. Shares travel as
/// uncompressed points 0x04 || X || Y (RFC 8446 §4.2.8.2); the shared secret is the raw X coordinate (§7.4.2).
/// </summary>
internal sealed class EcdhKeyExchange : KeyExchange
{
    /// <summary>The uncompressed-point marker, the only point format TLS 1.3 allows.</summary>
    private const byte Uncompressed = 0x04;

    private readonly ECDiffieHellman ecdh;
    private readonly ECCurve curve;
    private readonly int coordinateLength;

    private EcdhKeyExchange(NamedGroup group, ECCurve curve, int coordinateLength)
    {
        Group = group;
        this.curve = curve;
        this.coordinateLength = coordinateLength;
        ecdh = ECDiffieHellman.Create(curve);
        PublicKey = Encode(ecdh.ExportParameters(includePrivateParameters: false).Q, coordinateLength);
    }

    public static EcdhKeyExchange Generate(NamedGroup group) => group switch
    {
        NamedGroup.secp256r1 => new(group, ECCurve.NamedCurves.nistP256, 32),
        NamedGroup.secp384r1 => new(group, ECCurve.NamedCurves.nistP384, 48),
        // 521 bits round up to 66 bytes per coordinate; the shared secret is as wide (§7.4.2).
        NamedGroup.secp521r1 => new(group, ECCurve.NamedCurves.nistP521, 66),
        _ => throw new ArgumentOutOfRangeException(nameof(group)),
    };

    public override NamedGroup Group { get; }

    public override byte[] PublicKey { get; }

    public override Fin<byte[]> DeriveSharedSecret(ReadOnlySpan<byte> peerPublicKey)
    {
        if (peerPublicKey.Length != 1 + 2 * coordinateLength || peerPublicKey[0] != Uncompressed)
            return FinFail<byte[]>(AlertError.Of(AlertDescription.IllegalParameter, $"Key share is not an uncompressed {coordinateLength * 8}-bit curve point."));

        var point = new ECPoint
        {
            X = peerPublicKey.Slice(1, coordinateLength).ToArray(),
            Y = peerPublicKey.Slice(1 + coordinateLength, coordinateLength).ToArray(),
        };
        try
        {
            // Importing validates that the point lies on the curve (RFC 8446 §4.2.8.2 requires the check).
            using var peer = ECDiffieHellman.Create(new ECParameters { Curve = curve, Q = point });
            using var peerKey = peer.PublicKey;
            return FinSucc(ecdh.DeriveRawSecretAgreement(peerKey));
        }
        catch (CryptographicException)
        {
            return FinFail<byte[]>(AlertError.Of(AlertDescription.IllegalParameter, "Key share is not a valid point on the curve."));
        }
    }

    public override void Dispose() => ecdh.Dispose();

    private static byte[] Encode(ECPoint q, int coordinateLength)
    {
        var encoded = new byte[1 + 2 * coordinateLength];
        encoded[0] = Uncompressed;
        // The base library already returns fixed-width coordinates; right-align anyway so a shorter one keeps its value.
        q.X!.CopyTo(encoded.AsSpan(1 + coordinateLength - q.X!.Length));
        q.Y!.CopyTo(encoded.AsSpan(1 + 2 * coordinateLength - q.Y!.Length));
        return encoded;
    }
}
