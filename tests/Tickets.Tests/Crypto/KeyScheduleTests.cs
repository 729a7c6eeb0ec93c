using System.Security.Cryptography;
using Tickets.Crypto;

namespace Tickets.Tests.Crypto;

/// <summary>Key schedule properties RFC 8448 does not cover: SHA-384 suites, KeyUpdate, stage order, transcript branches.</summary>
[Trait("Category", TestCategory.Unit)]
public sealed class KeyScheduleTests
{
    [Fact]
    public void NextTrafficSecretIsHkdfExpandOfTheTrafficUpdLabel()
    {
        // Independent of KeySchedule: one HKDF-Expand block is HMAC(secret, HkdfLabel || 0x01).
        var secret = RandomNumberGenerator.GetBytes(32);
        byte[] hkdfLabel = [0x00, 0x20, 0x11, .. "tls13 traffic upd"u8, 0x00, 0x01];
        var expected = HMACSHA256.HashData(secret, hkdfLabel);

        Assert.Equal(expected, KeySchedule.NextApplicationTrafficSecret(HashAlgorithmName.SHA256, secret));
    }

    [Fact]
    public void Sha384SuiteDerivesFortyEightByteSecretsAndThirtyTwoByteKeys()
    {
        var suite = CipherSuiteParameters.Aes256GcmSha384;
        using var chain = new SecretChain(suite.Hash);
        Assert.Equal(48, chain.EarlySecret.Length);
        chain.AdvanceToHandshake(RandomNumberGenerator.GetBytes(32));
        var hash = SHA384.HashData("hello"u8);
        var secret = chain.ServerHandshakeTrafficSecret(hash);
        Assert.Equal(48, secret.Length);
        Assert.NotEqual(secret, chain.ClientHandshakeTrafficSecret(hash));

        using var keys = TrafficKeys.Derive(suite, secret);
        Assert.Equal(32, keys.Key.Length);
        Assert.Equal(12, keys.Iv.Length);
        Assert.Equal(48, KeySchedule.FinishedVerifyData(suite.Hash, secret, hash).Length);
    }

    [Fact]
    public void StagesCannotBeSkippedOrRevisited()
    {
        using var chain = new SecretChain(HashAlgorithmName.SHA256);
        var hash = new byte[32];
        Assert.Throws<InvalidOperationException>(() => chain.ClientHandshakeTrafficSecret(hash));
        Assert.Throws<InvalidOperationException>(() => chain.AdvanceToMaster());
        chain.AdvanceToHandshake(new byte[32]);
        Assert.Throws<InvalidOperationException>(() => chain.ResumptionBinderKey());
        chain.AdvanceToMaster();
        Assert.Throws<InvalidOperationException>(() => chain.ServerHandshakeTrafficSecret(hash));
    }

    [Theory]
    [InlineData("SHA256")]
    [InlineData("SHA384")]
    public void A_chain_without_psk_uses_precomputed_zero_psk_values_and_matches_the_long_way(string hashName)
    {
        // Without a PSK the early and "derived" secrets come precomputed; an explicit all-zero PSK takes the long way.
        var hash = new HashAlgorithmName(hashName);
        var length = KeySchedule.HashLength(hash);
        var shared = RandomNumberGenerator.GetBytes(32);
        var transcript = RandomNumberGenerator.GetBytes(length);
        using (var discarded = new SecretChain(hash))
        {
            // Disposing wipes this chain's own copy, never the values the next chain starts from.
            discarded.AdvanceToHandshake(shared);
        }

        using var precomputed = new SecretChain(hash);
        using var longWay = new SecretChain(hash, new byte[length]);
        Assert.Equal(longWay.EarlySecret, precomputed.EarlySecret);
        Assert.Equal(longWay.ResumptionBinderKey(), precomputed.ResumptionBinderKey());
        precomputed.AdvanceToHandshake(shared);
        longWay.AdvanceToHandshake(shared);
        Assert.Equal(longWay.HandshakeSecret, precomputed.HandshakeSecret);
        Assert.Equal(longWay.ServerHandshakeTrafficSecret(transcript), precomputed.ServerHandshakeTrafficSecret(transcript));
        precomputed.AdvanceToMaster();
        longWay.AdvanceToMaster();
        Assert.Equal(longWay.MasterSecret, precomputed.MasterSecret);
    }

    [Fact]
    public void PskKeOnlyModeUsesZerosForTheMissingSharedSecret()
    {
        using var implicitZeros = new SecretChain(HashAlgorithmName.SHA256, new byte[32]);
        using var explicitZeros = new SecretChain(HashAlgorithmName.SHA256, new byte[32]);
        implicitZeros.AdvanceToHandshake(ReadOnlySpan<byte>.Empty);
        explicitZeros.AdvanceToHandshake(new byte[32]);
        Assert.Equal(explicitZeros.HandshakeSecret, implicitZeros.HandshakeSecret);
    }

    [Fact]
    public void ExpandLabelRejectsOverlongContext()
    {
        Assert.Throws<ArgumentException>(() =>
            KeySchedule.ExpandLabel(HashAlgorithmName.SHA256, new byte[32], "key", new byte[256], 16));
    }

    [Fact]
    public void ForkedTranscriptsDivergeWithoutAffectingTheOriginal()
    {
        using var transcript = new TranscriptHash(HashAlgorithmName.SHA256);
        transcript.Append("first"u8);
        var before = transcript.Current();
        using var branch = transcript.Fork();
        branch.Append("second"u8);

        Assert.Equal(before, transcript.Current());
        Assert.Equal(SHA256.HashData("firstsecond"u8), branch.Current());
        Assert.Equal(SHA256.HashData("firstsecond"u8), transcript.CurrentWith("second"u8));
    }

    [Fact]
    public void HelloRetryRequestReplacesClientHelloWithMessageHash()
    {
        var clientHello = RandomNumberGenerator.GetBytes(200);
        var retry = RandomNumberGenerator.GetBytes(50);
        using var transcript = new TranscriptHash(HashAlgorithmName.SHA384);
        transcript.Append(clientHello);
        transcript.ReplaceWithMessageHash();
        transcript.Append(retry);

        byte[] expected = SHA384.HashData([254, 0, 0, 48, .. SHA384.HashData(clientHello), .. retry]);
        Assert.Equal(expected, transcript.Current());
        Assert.Equal(48, transcript.Length);
    }
}
