using System.Security.Cryptography;
using System.Text;

namespace Tickets.Crypto;

/// <summary>
/// The HKDF-based functions of the TLS 1.3 key schedule (RFC 8446 §7.1), stateless and parameterised by
/// the cipher suite's hash. <see cref="SecretChain"/> strings them together for one connection.
/// </summary>
internal static class KeySchedule
{
    /// <summary>Every HkdfLabel label starts with this prefix (RFC 8446 §7.1).</summary>
    private static ReadOnlySpan<byte> LabelPrefix => "tls13 "u8;

    /// <summary>Largest hash we use (SHA-384); sizes stack buffers.</summary>
    internal const int MaxHashLength = 48;

    public static int HashLength(HashAlgorithmName hash) =>
        hash == HashAlgorithmName.SHA256 ? 32
        : hash == HashAlgorithmName.SHA384 ? 48
        : hash == HashAlgorithmName.SHA512 ? 64
        : throw new ArgumentOutOfRangeException(nameof(hash), $"Unsupported hash {hash.Name}.");

    /// <summary>Hash("") — the context of every secret derived without a transcript ("derived", binder keys).</summary>
    public static byte[] EmptyHash(HashAlgorithmName hash) => CryptographicOperations.HashData(hash, ReadOnlySpan<byte>.Empty);

    /// <summary>HKDF-Extract(salt, IKM). An empty salt or IKM stands for Hash.length zero bytes, as the RFC's "0" does.</summary>
    public static byte[] Extract(HashAlgorithmName hash, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> ikm)
    {
        Span<byte> zeros = stackalloc byte[MaxHashLength];
        int length = HashLength(hash);
        zeros = zeros[..length];
        zeros.Clear();
        var prk = new byte[length];
        HKDF.Extract(hash, ikm.IsEmpty ? zeros : ikm, salt.IsEmpty ? zeros : salt, prk);
        return prk;
    }

    /// <summary>HKDF-Expand-Label(Secret, Label, Context, Length) into a new array.</summary>
    public static byte[] ExpandLabel(HashAlgorithmName hash, ReadOnlySpan<byte> secret, string label, ReadOnlySpan<byte> context, int length)
    {
        var output = new byte[length];
        ExpandLabel(hash, secret, label, context, output);
        return output;
    }

    /// <summary>HKDF-Expand-Label into a caller buffer whose length is the requested output length.</summary>
    public static void ExpandLabel(HashAlgorithmName hash, ReadOnlySpan<byte> secret, string label, ReadOnlySpan<byte> context, Span<byte> output)
    {
        int labelLength = LabelPrefix.Length + Encoding.ASCII.GetByteCount(label);
        if (labelLength > 255 || context.Length > 255 || output.Length > ushort.MaxValue)
            throw new ArgumentException("HkdfLabel field too long.");

        // struct { uint16 length; opaque label<7..255>; opaque context<0..255>; } HkdfLabel;
        Span<byte> info = stackalloc byte[2 + 1 + labelLength + 1 + context.Length];
        info[0] = (byte)(output.Length >> 8);
        info[1] = (byte)output.Length;
        info[2] = (byte)labelLength;
        LabelPrefix.CopyTo(info[3..]);
        Encoding.ASCII.GetBytes(label, info[(3 + LabelPrefix.Length)..]);
        info[3 + labelLength] = (byte)context.Length;
        context.CopyTo(info[(4 + labelLength)..]);
        HKDF.Expand(hash, secret, output, info);
    }

    /// <summary>Derive-Secret(Secret, Label, Messages) given the transcript hash of Messages.</summary>
    public static byte[] DeriveSecret(HashAlgorithmName hash, ReadOnlySpan<byte> secret, string label, ReadOnlySpan<byte> transcriptHash) =>
        ExpandLabel(hash, secret, label, transcriptHash, HashLength(hash));

    /// <summary>
    /// The PSK a ticket stands for: HKDF-Expand-Label(resumption_master_secret, "resumption", ticket_nonce, Hash.length)
    /// (RFC 8446 §4.6.1).
    /// </summary>
    public static byte[] ResumptionPsk(HashAlgorithmName hash, ReadOnlySpan<byte> resumptionMasterSecret, ReadOnlySpan<byte> ticketNonce) =>
        ExpandLabel(hash, resumptionMasterSecret, "resumption", ticketNonce, HashLength(hash));

    /// <summary>
    /// Finished verify_data = HMAC(finished_key, transcript hash), finished_key = HKDF-Expand-Label(BaseKey, "finished", "", Hash.length)
    /// (RFC 8446 §4.4.4). A PSK binder is the same computation with the binder key as base key (§4.2.11.2).
    /// </summary>
    public static byte[] FinishedVerifyData(HashAlgorithmName hash, ReadOnlySpan<byte> baseKey, ReadOnlySpan<byte> transcriptHash)
    {
        Span<byte> finishedKey = stackalloc byte[HashLength(hash)];
        try
        {
            ExpandLabel(hash, baseKey, "finished", ReadOnlySpan<byte>.Empty, finishedKey);
            return CryptographicOperations.HmacData(hash, finishedKey, transcriptHash);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(finishedKey);
        }
    }

    /// <summary>Checks a received Finished or binder in constant time, so timing does not reveal how much matched.</summary>
    public static bool VerifyFinished(HashAlgorithmName hash, ReadOnlySpan<byte> baseKey, ReadOnlySpan<byte> transcriptHash, ReadOnlySpan<byte> received)
    {
        var expected = FinishedVerifyData(hash, baseKey, transcriptHash);
        try
        {
            return CryptographicOperations.FixedTimeEquals(expected, received);
        }
        finally
        {
            // A binder's expected value is as good as the binder itself to whoever reads our memory later.
            CryptographicOperations.ZeroMemory(expected);
        }
    }

    /// <summary>application_traffic_secret_N+1 = HKDF-Expand-Label(secret_N, "traffic upd", "", Hash.length) (RFC 8446 §7.2).</summary>
    public static byte[] NextApplicationTrafficSecret(HashAlgorithmName hash, ReadOnlySpan<byte> currentSecret) =>
        ExpandLabel(hash, currentSecret, "traffic upd", ReadOnlySpan<byte>.Empty, HashLength(hash));
}
