using System.Security.Cryptography;
using Tickets.Core.Protocol;
using Tickets.Crypto;

namespace Tickets;

/// <summary>What a random value drawn from an <see cref="EntropySource"/> is for.</summary>
internal enum EntropyUse
{
    /// <summary>ServerHello.random (RFC 8446 §4.1.3), 32 bytes.</summary>
    ServerRandom,

    /// <summary>The private key of our key share, where the group takes one from outside (x25519: 32 bytes).</summary>
    KeySharePrivateKey,

    /// <summary>
    /// ticket_age_add (§4.6.1): 4 bytes per NewSessionTicket, the whole flight's in one draw (4 × its ticket count).
    /// </summary>
    TicketAgeAdd,

    /// <summary>The certificate_request_context of a post-handshake CertificateRequest (§4.3.2), 32 bytes.</summary>
    CertificateRequestContext,

    /// <summary>The id of a stateful ticket, under which its session is stored, 16 bytes.</summary>
    SessionId,
}

/// <summary>
/// The shell's one source of randomness for what it sends or decides with: ServerHello.random, the key share's private
/// key, ticket_age_add, the post-handshake certificate_request_context and stateful session ids all come from here,
/// each draw tagged with its <see cref="EntropyUse"/>. In production it is <see cref="System"/>, the operating system's
/// generator through <see cref="RandomNumberGenerator"/>; a test substitutes a source that fixes the values it needs by
/// their use (an RFC 8448 replay fixes the random and the x25519 key) and leaves the others random. It is set once, on
/// the <see cref="TicketServerContext"/>, beside its <see cref="TimeProvider"/>.
/// </summary>
/// <remarks>
/// Long-lived secret keys (ticket keys, a fleet's keys and its KEK) and AEAD nonces are not drawn here: the code that
/// uses them draws them straight from <see cref="RandomNumberGenerator"/>. No test needs to know them, and a scripted
/// AEAD nonce could only make one repeat. Key shares in groups whose primitive makes its own private key (the NIST
/// curves, through ECDiffieHellman) are left to the primitive too: feeding it a scalar would mean checking its range,
/// which is the primitive's job.
/// </remarks>
internal class EntropySource
{
    /// <summary>The operating system's generator; what every server uses.</summary>
    public static EntropySource System { get; } = new();

    /// <summary>Fills <paramref name="destination"/> with random bytes meant for <paramref name="use"/>.</summary>
    public virtual void Fill(Span<byte> destination, EntropyUse use) => RandomNumberGenerator.Fill(destination);

    /// <summary><paramref name="count"/> random bytes for <paramref name="use"/>, in an array of their own.</summary>
    public byte[] GetBytes(int count, EntropyUse use)
    {
        var bytes = new byte[count];
        Fill(bytes, use);
        return bytes;
    }

    /// <summary>
    /// Which library computes the x25519 key pairs made from this source's scalars: libsodium where it loads, else
    /// BouncyCastle (<see cref="X25519KeyExchange.Preferred"/>). A test overrides it to run the fallback end to end.
    /// </summary>
    public virtual X25519Implementation X25519Implementation => X25519KeyExchange.Preferred;

    /// <summary>
    /// Our half of a key exchange in <paramref name="group"/> (which must be supported): for x25519 the private scalar
    /// comes from this source (clamping happens inside the scalar multiplication) and <see cref="X25519Implementation"/>
    /// computes with it; other groups' primitives make their own key pair.
    /// </summary>
    public KeyExchange CreateKeyExchange(NamedGroup group)
    {
        if (group != NamedGroup.x25519)
            return KeyExchange.Create(group);
        Span<byte> scalar = stackalloc byte[32];
        Fill(scalar, EntropyUse.KeySharePrivateKey);
        try
        {
            return X25519KeyExchange.FromPrivateKey(scalar, X25519Implementation);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(scalar);
        }
    }
}
