using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Tickets.Core.Protocol;

namespace Tickets.Cli;

/// <summary>
/// The `serve` flags for PSKs: one external PSK as <c>openssl s_server -psk HEX -psk_identity ID</c> takes it, the hash
/// it is bound to, and whether psk_ke (no (EC)DHE) is allowed, as s_server's -allow_no_dhe_kex. The key is never
/// printed: messages name the flag and the problem only.
/// </summary>
internal static class PskFlags
{
    /// <summary>s_server's default -psk_identity.</summary>
    public const string DefaultIdentity = "Client_identity";

    /// <summary>RFC 9257 §4 asks for at least 128 bits of entropy in an external PSK.</summary>
    private const int AdvisedMinimumKeyLength = 16;

    public static bool IsSwitch(string flag) => flag is "--allow-psk-ke";

    public static bool TakesValue(string flag) => flag is "--psk" or "--psk-identity" or "--psk-hash";

    public static ServeOptions ApplySwitch(ServeOptions options, string flag) => flag switch
    {
        "--allow-psk-ke" => options with { AllowPskKe = true },
        _ => throw new ArgumentException($"not a PSK switch: {flag}", nameof(flag)),
    };

    public static (ServeOptions Options, string? Problem) Apply(ServeOptions options, string flag, string value)
    {
        switch (flag)
        {
            case "--psk":
                var key = Hex(value);
                if (key is null || key.Length is 0 or > ExternalPsk.MaxKeyLength)
                {
                    return (options, $"--psk needs the key in hexadecimal without 0x, 1 to {ExternalPsk.MaxKeyLength} bytes");
                }

                // A repeated flag keeps its last value; the earlier key is wiped, not left behind.
                Wipe(options);
                return (options with { PskKey = key }, null);
            case "--psk-identity":
                var length = Encoding.UTF8.GetByteCount(value);
                return length is > 0 and <= ExternalPsk.MaxIdentityLength
                    ? (options with { PskIdentity = value }, null)
                    : (options, $"--psk-identity needs 1 to {ExternalPsk.MaxIdentityLength} bytes of text");
            case "--psk-hash":
                return value.ToLowerInvariant() switch
                {
                    "sha256" or "sha-256" => (options with { PskHash = HandshakeHash.Sha256 }, null),
                    "sha384" or "sha-384" => (options with { PskHash = HandshakeHash.Sha384 }, null),
                    _ => (options, $"--psk-hash takes sha256 or sha384, not '{value}'"),
                };
            default:
                return (options, $"unknown option '{flag}'");
        }
    }

    /// <summary>Combinations that make no sense, found once all flags are read; null when all is well.</summary>
    public static string? Validate(ServeOptions options) => options switch
    {
        { PskIdentity: not null, PskKey: null } => "--psk-identity only makes sense with --psk",
        { PskHash: not null, PskKey: null } => "--psk-hash only makes sense with --psk",
        _ => null,
    };

    /// <summary>Gives the context the PSK (a copy: the options' key is wiped here) and the psk_ke setting.</summary>
    public static void Apply(ServeOptions options, TicketServerContext context)
    {
        context.AllowPskWithoutKeyExchange = options.AllowPskKe;
        if (options.PskKey is not { } key)
        {
            return;
        }

        using var psk = new ExternalPsk(
            Encoding.UTF8.GetBytes(options.PskIdentity ?? DefaultIdentity), key, options.PskHash ?? HandshakeHash.Sha256);
        context.UseExternalPsks([psk]);
        Wipe(options);
    }

    /// <summary>
    /// The start line, without the key (<paramref name="keyLength"/> is its length, null without --psk): e.g. "external PSK identity "Client_identity" (32-byte key, SHA-256); PSK
    /// modes psk_dhe_ke only". Null when neither a PSK nor psk_ke was asked for.
    /// </summary>
    public static string? Describe(ServeOptions options, int? keyLength)
    {
        if (keyLength is null && !options.AllowPskKe)
        {
            return null;
        }

        var modes = options.AllowPskKe
            ? "PSK modes psk_dhe_ke, and psk_ke for clients offering only it (no forward secrecy)"
            : "PSK modes psk_dhe_ke only";
        if (keyLength is not { } length)
        {
            return modes;
        }

        var hash = (options.PskHash ?? HandshakeHash.Sha256) == HandshakeHash.Sha384 ? "SHA-384" : "SHA-256";
        var weak = length < AdvisedMinimumKeyLength ? $", short: RFC 9257 advises at least {AdvisedMinimumKeyLength} bytes" : "";
        var identity = Core.Model.PeerIdentity.PrintableIdentity(new Core.Bytes(Encoding.UTF8.GetBytes(options.PskIdentity ?? DefaultIdentity)));
        return string.Create(CultureInfo.InvariantCulture, $"external PSK identity \"{identity}\" ({length}-byte key, {hash}{weak}); {modes}");
    }

    /// <summary>Zeroes the key held in the options, once the context has its own copy (or a later --psk replaced it).</summary>
    public static void Wipe(ServeOptions options)
    {
        if (options.PskKey is { } key)
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    private static byte[]? Hex(string value)
    {
        try
        {
            return Convert.FromHexString(value);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
