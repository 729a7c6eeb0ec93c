using System.Security.Cryptography;
using System.Text;
using Tickets.Core.Protocol;

namespace Tickets;

/// <summary>
/// An external PSK (RFC 8446 §4.2.11): a key the operator shared out of band with one client, named by an identity the
/// client sends in its ClientHello. A client proving it holds the key (binder, then Finished) is served without a
/// certificate exchange, as by <c>openssl s_server -psk HEX -psk_identity ID</c>. The key is bound to one hash: only a
/// cipher suite of that hash can use it (SHA-256 unless said otherwise, as s_server's TLS_AES_128_GCM_SHA256).
/// </summary>
/// <remarks>
/// The key is secret: the instance keeps its own copy, hands the handshake a copy that is wiped when the handshake
/// ends, never prints it, and wipes its own on <see cref="Dispose"/>. The identity is not secret: it travels in clear.
/// RFC 9257 advises at least 128 bits of entropy in the key and one key per client.
/// </remarks>
public sealed class ExternalPsk : IDisposable
{
    /// <summary>The longest key taken, in bytes: OpenSSL 3.0's PSK_MAX_PSK_LEN.</summary>
    public const int MaxKeyLength = 512;

    /// <summary>
    /// The longest identity taken, in bytes. The wire allows 65535, but the identity rides in every ticket issued on the
    /// PSK's connections, and a ticket must stay well within its own 65535-byte limit.
    /// </summary>
    public const int MaxIdentityLength = 1024;

    private readonly object gate = new();
    private readonly byte[] key;
    private bool disposed;

    /// <summary>A PSK named <paramref name="identity"/>; both are copied, so the caller may wipe its own key at once.</summary>
    /// <param name="identity">1 to <see cref="MaxIdentityLength"/> bytes, as the client will send them.</param>
    /// <param name="key">1 to <see cref="MaxKeyLength"/> bytes.</param>
    /// <param name="hash">The hash the key is bound to.</param>
    /// <exception cref="ArgumentException">The identity or key is empty or too long, or the hash unknown.</exception>
    public ExternalPsk(ReadOnlySpan<byte> identity, ReadOnlySpan<byte> key, HandshakeHash hash = HandshakeHash.Sha256)
    {
        if (identity.IsEmpty || identity.Length > MaxIdentityLength)
        {
            throw new ArgumentException($"A PSK identity is 1 to {MaxIdentityLength} bytes, not {identity.Length}.", nameof(identity));
        }

        if (key.IsEmpty || key.Length > MaxKeyLength)
        {
            throw new ArgumentException($"A PSK is 1 to {MaxKeyLength} bytes, not {key.Length}.", nameof(key));
        }

        if (!Enum.IsDefined(hash))
        {
            throw new ArgumentException($"Unknown hash {(int)hash}.", nameof(hash));
        }

        Identity = identity.ToArray();
        this.key = key.ToArray();
        Hash = hash;
    }

    /// <summary>
    /// The PSK as <c>openssl s_server -psk HEX -psk_identity ID</c> takes it: the identity as text (sent as its UTF-8
    /// bytes), the key in hexadecimal without "0x".
    /// </summary>
    /// <exception cref="ArgumentException">The key is not hexadecimal, or either part is empty or too long.</exception>
    public static ExternalPsk FromHex(string identity, string keyHex, HandshakeHash hash = HandshakeHash.Sha256)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(keyHex);
        byte[] key;
        try
        {
            key = Convert.FromHexString(keyHex);
        }
        catch (FormatException)
        {
            // The message names the problem, never the text: it may be most of a key.
            throw new ArgumentException("A PSK in hexadecimal has an even number of the digits 0-9, a-f.", nameof(keyHex));
        }

        try
        {
            return new ExternalPsk(Encoding.UTF8.GetBytes(identity), key, hash);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>The identity the client names the key by.</summary>
    public ReadOnlyMemory<byte> Identity { get; }

    /// <summary>The hash the key is bound to.</summary>
    public HandshakeHash Hash { get; }

    /// <summary>The key's length in bytes (not secret: it says how strong the key can be).</summary>
    public int KeyLength => key.Length;

    /// <summary>A copy of the key, which the caller wipes; null once this PSK is disposed.</summary>
    internal byte[]? CopyKey()
    {
        lock (gate)
        {
            return disposed ? null : (byte[])key.Clone();
        }
    }

    /// <summary>Wipes the key; a handshake finding this PSK afterwards treats the identity as unknown.</summary>
    public void Dispose()
    {
        lock (gate)
        {
            disposed = true;
            CryptographicOperations.ZeroMemory(key);
        }
    }
}

/// <summary>
/// Finds the external PSK a ClientHello names (≈ OpenSSL's SSL_psk_find_session_cb_func): the PSK for
/// <paramref name="identity"/>, or null when the identity is not one of them (it is then tried as a ticket, and a
/// full handshake follows if it is none). Called during handshakes, from any thread, for each of the first
/// <see cref="Core.Policy.ResumptionPolicy.MaxIdentities"/> identities a client offers: it must be quick and must not
/// block. The handshake copies the key; the returned instance stays the caller's.
/// </summary>
public delegate ExternalPsk? ExternalPskFinder(ReadOnlyMemory<byte> identity);
