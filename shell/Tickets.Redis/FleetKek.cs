using System.Security.Cryptography;
using System.Text;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Tickets.Redis;

/// <summary>
/// The key-encryption key (KEK) a fleet shares: everything secret the fleet keeps in Redis (session state, ticket keys)
/// is sealed under it, so reading Redis, its dumps or its replication stream reveals nothing usable.
/// </summary>
/// <remarks>
/// <para>Format (file or the <see cref="EnvironmentVariable"/> variable, same text): the standard base64 of exactly 32
/// random bytes, surrounding whitespace ignored — e.g. <c>head -c 32 /dev/urandom | base64 &gt; kek; chmod 600 kek</c>.
/// A file must be private to its owner, as the ticket key file must.</para>
/// <para>Sealed value layout: version(1) = 1 || nonce(12) || AES-256-GCM ciphertext || tag(16). The associated data is
/// <c>"tickets-fleet v1\0"</c> followed by the Redis key name the value is stored under, so a value copied to another key
/// (say a session moved under someone else's ticket id, or a session passed off as the key ring) fails to open.</para>
/// <para>Nonces are random: a fleet seals far fewer than the 2^32 values NIST SP 800-38D allows per key.</para>
/// </remarks>
public sealed class FleetKek : IDisposable
{
    /// <summary>The environment variable that may hold the KEK instead of a file.</summary>
    public const string EnvironmentVariable = "TICKETS_FLEET_KEK";

    /// <summary>Bytes in a KEK (AES-256).</summary>
    public const int KeyLength = 32;

    /// <summary>Bytes of the random nonce in a sealed value.</summary>
    public const int NonceLength = 12;

    /// <summary>Bytes of the GCM tag that ends a sealed value.</summary>
    public const int TagLength = 16;

    /// <summary>The first byte of every sealed value.</summary>
    public const byte FormatVersion = 1;

    /// <summary>Bytes a sealed value adds around its plaintext.</summary>
    public const int Overhead = 1 + NonceLength + TagLength;

    private static readonly byte[] AadPrefix = "tickets-fleet v1\0"u8.ToArray();

    private const UnixFileMode SharedBits =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    private readonly AesGcm aead;
    // AesGcm instances are not safe for concurrent use; sealing is rare and short, so one lock is enough.
    private readonly Lock gate = new();

    /// <summary>A KEK from its 32 bytes; the caller wipes its copy.</summary>
    /// <exception cref="ArgumentException">The key is not 32 bytes.</exception>
    public FleetKek(ReadOnlySpan<byte> key)
    {
        if (key.Length != KeyLength)
            throw new ArgumentException($"A fleet KEK is {KeyLength} bytes.", nameof(key));
        aead = new AesGcm(key, TagLength);
    }

    /// <summary>A fresh random KEK, and its text form for a file or the environment variable.</summary>
    public static (FleetKek Kek, string Text) Generate()
    {
        var key = RandomNumberGenerator.GetBytes(KeyLength);
        try
        {
            return (new FleetKek(key), Convert.ToBase64String(key));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>Parses the text form; <paramref name="source"/> names where it came from, for the error message.</summary>
    public static FleetKek Parse(string text, string source)
    {
        var trimmed = text.Trim();
        var key = new byte[KeyLength];
        try
        {
            if (!Convert.TryFromBase64String(trimmed, key, out var written) || written != KeyLength)
                throw new FleetKekException($"The fleet KEK from {source} is not the base64 of exactly {KeyLength} bytes.");
            return new FleetKek(key);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>Loads the KEK from a file that only its owner can read.</summary>
    public static FleetKek LoadFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        byte[] content;
        try
        {
            if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & SharedBits) != 0)
                throw new FleetKekException($"Fleet KEK file '{path}' is accessible to other users; chmod 600 '{path}'.");
            content = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FleetKekException($"Fleet KEK file '{path}' cannot be read: {e.Message}", e);
        }

        try
        {
            return Parse(Encoding.ASCII.GetString(content), $"file '{path}'");
        }
        finally
        {
            CryptographicOperations.ZeroMemory(content);
        }
    }

    /// <summary>The KEK from <see cref="EnvironmentVariable"/>, or none when it is unset or empty.</summary>
    public static Option<FleetKek> FromEnvironment() =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } text
            ? Some(Parse(text, $"${EnvironmentVariable}"))
            : None;

    /// <summary>Seals <paramref name="plaintext"/> for storage under the Redis key <paramref name="redisKey"/>.</summary>
    public byte[] Seal(string redisKey, ReadOnlySpan<byte> plaintext)
    {
        var sealedValue = new byte[Overhead + plaintext.Length];
        var span = sealedValue.AsSpan();
        span[0] = FormatVersion;
        var nonce = span.Slice(1, NonceLength);
        RandomNumberGenerator.Fill(nonce);
        var aad = AssociatedData(redisKey);
        lock (gate)
            aead.Encrypt(nonce, plaintext, span.Slice(1 + NonceLength, plaintext.Length), span[^TagLength..], aad);
        return sealedValue;
    }

    /// <summary>
    /// The plaintext sealed under <paramref name="redisKey"/>, or none when the value is short, of another version,
    /// sealed under another KEK, stored under another key, or tampered with. Never throws on any bytes.
    /// </summary>
    public Option<byte[]> TryOpen(string redisKey, ReadOnlySpan<byte> sealedValue)
    {
        if (sealedValue.Length < Overhead || sealedValue[0] != FormatVersion)
            return None;
        var plaintext = new byte[sealedValue.Length - Overhead];
        var aad = AssociatedData(redisKey);
        try
        {
            lock (gate)
            {
                aead.Decrypt(
                    sealedValue.Slice(1, NonceLength),
                    sealedValue.Slice(1 + NonceLength, plaintext.Length),
                    sealedValue[^TagLength..],
                    plaintext,
                    aad);
            }

            return Some(plaintext);
        }
        catch (CryptographicException)
        {
            return None;
        }
    }

    /// <summary>Wipes the key (AES-GCM clears its key schedule).</summary>
    public void Dispose() => aead.Dispose();

    private static byte[] AssociatedData(string redisKey)
    {
        var aad = new byte[AadPrefix.Length + Encoding.UTF8.GetByteCount(redisKey)];
        AadPrefix.CopyTo(aad, 0);
        Encoding.UTF8.GetBytes(redisKey, aad.AsSpan(AadPrefix.Length));
        return aad;
    }
}
