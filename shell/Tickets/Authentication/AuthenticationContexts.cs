using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Tickets.Core.Model;

namespace Tickets.Authentication;

/// <summary>
/// Computes the <see cref="AuthenticationContext"/> a server runs under from its client-certificate settings, the way
/// OpenSSL applications set a session id context and nginx hashes its client-CA settings into one.
/// </summary>
/// <remarks>
/// The trust anchors' digest is SHA-256 over the ASCII label <c>tickets trust anchors v1</c> followed by the SHA-256
/// of each distinct anchor's DER encoding, those 32-byte values in ascending byte order. It depends on the set of
/// anchors only: not on their order in the CA file, on duplicates, on PEM formatting or on the process, so a restart
/// or another member of a fleet with the same CA file computes the same context, and any change of anchors a
/// different one.
/// </remarks>
internal static class AuthenticationContexts
{
    private static readonly byte[] Label = Encoding.ASCII.GetBytes("tickets trust anchors v1");

    public static AuthenticationContext Of(ClientCertificateMode mode, IReadOnlyList<X509Certificate2> trustAnchors) =>
        new(Requirement(mode), TrustAnchorsDigest(trustAnchors));

    public static ClientCertificateRequirement Requirement(ClientCertificateMode mode) => mode switch
    {
        ClientCertificateMode.None => ClientCertificateRequirement.None,
        ClientCertificateMode.Request => ClientCertificateRequirement.Request,
        ClientCertificateMode.Require => ClientCertificateRequirement.Require,
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown client certificate mode."),
    };

    /// <summary>The digest defined above, in lowercase hexadecimal.</summary>
    public static string TrustAnchorsDigest(IReadOnlyList<X509Certificate2> trustAnchors)
    {
        var fingerprints = trustAnchors
            .Select(anchor => SHA256.HashData(anchor.RawData))
            .Distinct(ByteArrayComparer.Instance)
            .Order(ByteArrayComparer.Instance)
            .ToArray();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Label);
        foreach (var fingerprint in fingerprints)
        {
            hash.AppendData(fingerprint);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private sealed class ByteArrayComparer : IComparer<byte[]>, IEqualityComparer<byte[]>
    {
        public static readonly ByteArrayComparer Instance = new();

        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);

        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(byte[] value) => BitConverter.ToInt32(value, 0);
    }
}
