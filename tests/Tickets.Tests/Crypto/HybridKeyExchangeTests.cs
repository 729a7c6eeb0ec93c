using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Kems;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math.EC.Rfc7748;
using Org.BouncyCastle.Security;
using Tickets.Core.Protocol;
using Tickets.Crypto;
using static Tickets.Tests.Crypto.KeyExchangeTests;

namespace Tickets.Tests.Crypto;

/// <summary>
/// X25519MLKEM768 against a client made here from BouncyCastle's ML-KEM and x25519 primitives, following
/// draft-ietf-tls-ecdhe-mlkem byte for byte: the same secret on both sides, and every malformed share refused.
/// </summary>
[Trait("Category", TestCategory.Unit)]
public sealed class HybridKeyExchangeTests
{
    /// <summary>A client's half: its ML-KEM-768 key pair and x25519 scalar, and the share it sends.</summary>
    private sealed class HandMadeClient
    {
        public HandMadeClient()
        {
            var generator = new MLKemKeyPairGenerator();
            generator.Init(new MLKemKeyGenerationParameters(new SecureRandom(), MLKemParameters.ml_kem_768));
            var pair = generator.GenerateKeyPair();
            DecapsulationKey = (MLKemPrivateKeyParameters)pair.Private;
            EncapsulationKey = ((MLKemPublicKeyParameters)pair.Public).GetEncoded();
            X25519.GeneratePrivateKey(new SecureRandom(), X25519Scalar);
            X25519.GeneratePublicKey(X25519Scalar, X25519Public);
        }

        public MLKemPrivateKeyParameters DecapsulationKey { get; }

        public byte[] EncapsulationKey { get; }

        public byte[] X25519Scalar { get; } = new byte[32];

        public byte[] X25519Public { get; } = new byte[32];

        /// <summary>The client's key_share: encapsulation key (1184 bytes) then x25519 key (32).</summary>
        public byte[] Share => [.. EncapsulationKey, .. X25519Public];

        /// <summary>What the client derives from the server's ciphertext (1088) || x25519 key (32): ML-KEM secret || x25519 secret.</summary>
        public byte[] Secret(byte[] serverShare)
        {
            var decapsulator = new MLKemDecapsulator(MLKemParameters.ml_kem_768);
            decapsulator.Init(DecapsulationKey);
            var mlkem = new byte[32];
            decapsulator.Decapsulate(serverShare.AsSpan(0, 1088), mlkem);
            var x25519 = new byte[32];
            Assert.True(X25519.CalculateAgreement(X25519Scalar, serverShare.AsSpan(1088), x25519));
            return [.. mlkem, .. x25519];
        }
    }

    [Fact]
    public void A_hand_made_client_and_the_server_derive_the_same_64_byte_secret()
    {
        var client = new HandMadeClient();
        using var server = KeyExchange.Create(NamedGroup.X25519MLKEM768);

        var answer = server.Answer(client.Share).ThrowIfFail();

        Assert.Equal(1120, answer.Share.Length);
        Assert.Equal(64, answer.SharedSecret.Length);
        Assert.Equal(client.Secret(answer.Share), answer.SharedSecret);
        // The x25519 half alone, checked on its own: the last 32 bytes of each are the classical exchange.
        var classical = new byte[32];
        Assert.True(X25519.CalculateAgreement(client.X25519Scalar, answer.Share.AsSpan(1088), classical));
        Assert.Equal(classical, answer.SharedSecret[32..]);
    }

    [Fact]
    public void Each_answer_encapsulates_afresh()
    {
        var client = new HandMadeClient();
        using var first = KeyExchange.Create(NamedGroup.X25519MLKEM768);
        using var second = KeyExchange.Create(NamedGroup.X25519MLKEM768);
        var a = first.Answer(client.Share).ThrowIfFail();
        var b = second.Answer(client.Share).ThrowIfFail();
        Assert.NotEqual(a.Share, b.Share);
        Assert.NotEqual(a.SharedSecret, b.SharedSecret);
    }

    [Fact]
    public void An_encapsulation_key_failing_the_modulus_check_is_illegal_parameter()
    {
        var share = new HandMadeClient().Share;
        // The first coefficient is the low 12 bits of bytes 0-1: 0xFFF = 4095 is not below q = 3329 (FIPS 203 §7.2).
        share[0] = 0xFF;
        share[1] |= 0x0F;
        using var server = KeyExchange.Create(NamedGroup.X25519MLKEM768);
        AssertIllegalParameter(server.Answer(share));
    }

    [Fact]
    public void Shares_of_the_wrong_length_are_illegal_parameter()
    {
        var share = new HandMadeClient().Share;
        using var server = KeyExchange.Create(NamedGroup.X25519MLKEM768);
        AssertIllegalParameter(server.Answer(share.AsSpan(0, 1184)));   // no x25519 part
        AssertIllegalParameter(server.Answer(share.AsSpan(1184)));      // x25519 alone
        AssertIllegalParameter(server.Answer(share.AsSpan(0, 1215)));
        AssertIllegalParameter(server.Answer([.. share, 0]));
    }

    [Fact]
    public void A_low_order_x25519_part_is_illegal_parameter()
    {
        var share = new HandMadeClient().Share;
        share.AsSpan(1184).Clear();
        using var server = KeyExchange.Create(NamedGroup.X25519MLKEM768);
        AssertIllegalParameter(server.Answer(share));
    }
}
