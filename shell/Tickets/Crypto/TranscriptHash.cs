using System.Security.Cryptography;
using Tickets.Core.Protocol;

namespace Tickets.Crypto;

/// <summary>
/// The running hash of every handshake message (RFC 8446 §4.4.1). Secrets are derived from snapshots
/// taken at several points, so reading the hash never disturbs the running state.
/// </summary>
/// <remarks>
/// TLS needs branches of the transcript: the PSK binder hashes a ClientHello truncated before its binders,
/// and each post-handshake CertificateRequest starts its own branch from the end of the handshake. A branch
/// is a clone of the running hash state (IncrementalHash.Clone), so the transcript keeps no copy of the
/// messages themselves: nothing per connection but the hash state, and no buffer growing per handshake.
/// </remarks>
internal sealed class TranscriptHash : IDisposable
{
    private readonly IncrementalHash hash;

    public TranscriptHash(HashAlgorithmName algorithm)
        : this(algorithm, IncrementalHash.CreateHash(algorithm))
    {
    }

    private TranscriptHash(HashAlgorithmName algorithm, IncrementalHash state)
    {
        Algorithm = algorithm;
        hash = state;
    }

    public HashAlgorithmName Algorithm { get; }

    /// <summary>Length of the hash output in bytes (32 for SHA-256, 48 for SHA-384).</summary>
    public int Length => hash.HashLengthInBytes;

    /// <summary>Adds a whole handshake message (4-byte header included) to the transcript.</summary>
    public void Append(ReadOnlySpan<byte> handshakeMessage) => hash.AppendData(handshakeMessage);

    /// <summary>The hash of everything appended so far; the transcript keeps running.</summary>
    public byte[] Current() => hash.GetCurrentHash();

    /// <summary>Allocation-free snapshot into a caller buffer; returns the bytes written.</summary>
    public int Current(Span<byte> destination) => hash.GetCurrentHash(destination);

    /// <summary>
    /// The hash of the transcript so far followed by <paramref name="extra"/>, which is not added. This is
    /// what a PSK binder covers: the transcript plus the ClientHello up to (excluding) its binders list.
    /// </summary>
    public byte[] CurrentWith(ReadOnlySpan<byte> extra)
    {
        using var branch = hash.Clone();
        branch.AppendData(extra);
        return branch.GetHashAndReset();
    }

    /// <summary>An independent copy of this transcript that can be extended without affecting this one.</summary>
    public TranscriptHash Fork() => new(Algorithm, hash.Clone());

    /// <summary>
    /// After sending a HelloRetryRequest the first ClientHello is replaced in the transcript by
    /// message_hash(254) || 00 00 Hash.length || Hash(ClientHello1) (RFC 8446 §4.4.1). Call this when the
    /// transcript holds exactly ClientHello1, before appending the HelloRetryRequest.
    /// </summary>
    public void ReplaceWithMessageHash()
    {
        Span<byte> digest = stackalloc byte[64];
        int length = hash.GetHashAndReset(digest);
        Append(HandshakeFraming.MessageHash(digest[..length]));
    }

    public void Dispose() => hash.Dispose();
}
