using System.Security.Cryptography;
using Tickets.Core;
using Tickets.Core.Protocol;
using Tickets.Crypto;
using Tickets.Tests.Protocol;

namespace Tickets.Tests.Engine;

/// <summary>
/// ClientHellos offering external PSKs, made from openssl's recorded ClientHello: the identities go into a
/// pre_shared_key (last, as required) whose binders are computed the way RFC 8446 §4.2.11.2 says, each with its own
/// PSK, hash and label ("ext binder" for an external PSK, "res binder" for a ticket), so the server can be shown every
/// kind of offer: right and wrong keys, either hash, either mode, with and without a key share.
/// </summary>
internal static class ExternalPskHellos
{
    /// <summary>The identity tlsfuzzer's PSK scripts and these tests call "test".</summary>
    public static readonly byte[] Identity = "test"u8.ToArray();

    /// <summary>A 32-byte key, as `openssl rand -hex 32` would give.</summary>
    public static readonly byte[] Key = Convert.FromHexString("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");

    /// <summary>One offered identity: its name, the key its binder is made with, that key's hash, and its binder label.</summary>
    public sealed record Offer(byte[] Name, byte[] Psk, HashAlgorithmName Hash, bool External = true, bool CorruptBinder = false, uint ObfuscatedAge = 0);

    /// <summary>The usual offer: <see cref="Identity"/> with <see cref="Key"/>, SHA-256.</summary>
    public static Offer Known => new(Identity, Key, HashAlgorithmName.SHA256);

    /// <summary>
    /// openssl's ClientHello with psk_key_exchange_modes set to <paramref name="modes"/>, the offers in a pre_shared_key,
    /// and optionally without supported_groups and key_share (a psk_ke-only client), without signature_algorithms (one
    /// that cannot authenticate a certificate), or with other cipher suites.
    /// </summary>
    public static byte[] Hello(
        IReadOnlyList<Offer> offers,
        PskKeyExchangeMode[] modes,
        bool keyExchange = true,
        bool signatureAlgorithms = true,
        CipherSuite[]? suites = null)
    {
        var template = FinAssert.Succeeds(ClientHelloCodec.Parse(TestData.FixtureHandshake("openssl-s_client")));
        var extensions = template.Extensions
            .Where(extension => extension.Type != ExtensionType.PskKeyExchangeModes)
            .Where(extension => keyExchange || extension.Type is not (ExtensionType.KeyShare or ExtensionType.SupportedGroups))
            .Where(extension => signatureAlgorithms || extension.Type != ExtensionType.SignatureAlgorithms)
            .Append(new Extension(ExtensionType.PskKeyExchangeModes, [(byte)modes.Length, .. modes.Select(mode => (byte)mode)]))
            .ToList();
        var hello = template with { Extensions = [.. extensions], CipherSuites = suites ?? template.CipherSuites };

        byte[] Encode(IEnumerable<byte[]> binders) => ClientHelloCodec.Encode(hello with
        {
            Extensions = [.. hello.Extensions, new Extension(
                ExtensionType.PreSharedKey,
                ExtensionBodies.PreSharedKeyOffered(
                    offers.Select(offer => new PskIdentity(offer.Name, offer.ObfuscatedAge)), binders.Select(binder => new Bytes(binder))))],
        });

        // The binders cover the message up to the binders list, so placeholders of the right sizes fix the offset.
        var draft = Encode(offers.Select(offer => new byte[KeySchedule.HashLength(offer.Hash)]));
        var offset = FinAssert.Succeeds(ClientHelloCodec.Parse(draft)).PreSharedKey.Match(p => p.BindersOffset, () => -1);
        return Encode(offers.Select(offer =>
        {
            using var early = new SecretChain(offer.Hash, offer.Psk);
            var binderKey = offer.External ? early.ExternalBinderKey() : early.ResumptionBinderKey();
            var truncated = offer.Hash == HashAlgorithmName.SHA384 ? SHA384.HashData(draft.AsSpan(0, offset)) : SHA256.HashData(draft.AsSpan(0, offset));
            var binder = KeySchedule.FinishedVerifyData(offer.Hash, binderKey, truncated);
            binder[0] ^= offer.CorruptBinder ? (byte)1 : (byte)0;
            return binder;
        }).ToArray());
    }
}
