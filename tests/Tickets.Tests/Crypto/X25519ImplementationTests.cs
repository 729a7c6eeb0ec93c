using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using LanguageExt;
using LanguageExt.Common;
using Tickets.Core.Protocol;
using Tickets.Crypto;
using Tickets.Handshake;
using Tickets.Tests.Engine;

namespace Tickets.Tests.Crypto;

/// <summary>
/// x25519 has two implementations, libsodium (preferred) and BouncyCastle (the fallback where libsodium cannot load).
/// Every test runs through both, so the fallback is proved on a machine where the preferred path works: the RFC 7748
/// vectors, low-order points refused with illegal_parameter, the two agreeing with each other, and a complete
/// handshake with a real client.
/// </summary>
[Trait("Category", TestCategory.Unit)]
public sealed class X25519ImplementationTests
{
    // By name: the enum is internal, and a public test method cannot take it.
    public static TheoryData<string> Implementations => new()
    {
        nameof(X25519Implementation.Libsodium),
        nameof(X25519Implementation.BouncyCastle),
    };

    [Fact]
    public void Libsodium_is_preferred_where_its_native_library_loads()
    {
        // The libsodium package ships a binary for linux-x64, where the tests run; elsewhere the probe may fall back.
        Assert.Equal(X25519Implementation.Libsodium, X25519KeyExchange.Preferred);
        using var generated = KeyExchange.Create(NamedGroup.x25519);
        Assert.Equal(X25519Implementation.Libsodium, Assert.IsType<X25519KeyExchange>(generated).Implementation);
        // The handshake's key share comes from the context's entropy source: the same library there.
        Assert.Equal(X25519Implementation.Libsodium, EntropySource.System.X25519Implementation);
        using var drawn = EntropySource.System.CreateKeyExchange(NamedGroup.x25519);
        Assert.Equal(X25519Implementation.Libsodium, Assert.IsType<X25519KeyExchange>(drawn).Implementation);
    }

    [Theory]
    [MemberData(nameof(Implementations))]
    public void A_key_share_from_the_entropy_source_uses_its_scalar_and_the_implementation_it_names(string name)
    {
        var implementation = Enum.Parse<X25519Implementation>(name);
        // RFC 7748 §6.1: Alice's private key and the public key it must give.
        var entropy = new ChosenX25519Entropy(implementation, Convert.FromHexString("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"));

        using var exchange = Assert.IsType<X25519KeyExchange>(entropy.CreateKeyExchange(NamedGroup.x25519));

        Assert.Equal(implementation, exchange.Implementation);
        Assert.Equal("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a", Convert.ToHexStringLower(exchange.PublicKey));
        Assert.Equal(1, entropy.ScalarsDrawn);
    }

    [Theory]
    [MemberData(nameof(Implementations))]
    public void Rfc7748_section_5_2_scalar_multiplication_vectors(string name)
    {
        var implementation = Enum.Parse<X25519Implementation>(name);
        AssertAgreement(implementation,
            "a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4",
            "e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c",
            "c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552");
        AssertAgreement(implementation,
            "4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d",
            "e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493",
            "95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957");
    }

    [Theory]
    [MemberData(nameof(Implementations))]
    public void Rfc7748_section_5_2_iterated_vectors(string name)
    {
        var implementation = Enum.Parse<X25519Implementation>(name);
        // k = u = 9; each round k' = X25519(k, u), u' = k. After 1 and after 1000 rounds.
        var k = new byte[32];
        var u = new byte[32];
        k[0] = u[0] = 9;
        for (var round = 1; round <= 1000; round++)
        {
            using var exchange = X25519KeyExchange.FromPrivateKey(k, implementation);
            var next = exchange.DeriveSharedSecret(u).ThrowIfFail();
            u = k;
            k = next;
            if (round == 1)
            {
                Assert.Equal("422c8e7a6227d7bca1350b3e2bb7279f7897b87bb6854b783c60e80311ae3079", Convert.ToHexStringLower(k));
            }
        }

        Assert.Equal("684cf59ba83309552800ef566f2f4d3c1c3887c49360e3875f2eb94d99532c51", Convert.ToHexStringLower(k));
    }

    [Theory]
    [MemberData(nameof(Implementations))]
    public void Rfc7748_section_6_1_key_agreement(string name)
    {
        var implementation = Enum.Parse<X25519Implementation>(name);
        const string alicePrivate = "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a";
        const string bobPrivate = "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb";
        const string shared = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742";
        using var alice = X25519KeyExchange.FromPrivateKey(Convert.FromHexString(alicePrivate), implementation);
        using var bob = X25519KeyExchange.FromPrivateKey(Convert.FromHexString(bobPrivate), implementation);

        Assert.Equal("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a", Convert.ToHexStringLower(alice.PublicKey));
        Assert.Equal("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f", Convert.ToHexStringLower(bob.PublicKey));
        Assert.Equal(shared, Convert.ToHexStringLower(alice.DeriveSharedSecret(bob.PublicKey).ThrowIfFail()));
        Assert.Equal(shared, Convert.ToHexStringLower(bob.DeriveSharedSecret(alice.PublicKey).ThrowIfFail()));
    }

    [Theory]
    [MemberData(nameof(Implementations))]
    public void Low_order_points_are_illegal_parameter(string name)
    {
        var implementation = Enum.Parse<X25519Implementation>(name);
        using var us = X25519KeyExchange.Generate(implementation);
        string[] lowOrder =
        [
            "0000000000000000000000000000000000000000000000000000000000000000", // 0
            "0100000000000000000000000000000000000000000000000000000000000000", // 1
            "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800", // a point of order 8
            "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", // p, a non-canonical 0
            "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", // p + 1, a non-canonical 1
        ];
        foreach (var point in lowOrder)
        {
            AssertIllegalParameter(us.DeriveSharedSecret(Convert.FromHexString(point)));
        }

        AssertIllegalParameter(us.DeriveSharedSecret(new byte[31]));
        AssertIllegalParameter(us.DeriveSharedSecret(new byte[33]));
    }

    [Fact]
    public void The_two_implementations_agree_with_each_other()
    {
        for (var i = 0; i < 20; i++)
        {
            using var sodium = X25519KeyExchange.Generate(X25519Implementation.Libsodium);
            using var managed = X25519KeyExchange.Generate(X25519Implementation.BouncyCastle);
            Assert.Equal(
                sodium.DeriveSharedSecret(managed.PublicKey).ThrowIfFail(),
                managed.DeriveSharedSecret(sodium.PublicKey).ThrowIfFail());

            // The same private key gives the same public key in both.
            var scalar = RandomNumberGenerator.GetBytes(32);
            using var a = X25519KeyExchange.FromPrivateKey(scalar, X25519Implementation.Libsodium);
            using var b = X25519KeyExchange.FromPrivateKey(scalar, X25519Implementation.BouncyCastle);
            Assert.Equal(a.PublicKey, b.PublicKey);
        }
    }

    [Theory]
    [MemberData(nameof(Implementations))]
    public async Task A_full_handshake_with_a_real_client_through_each_implementation(string name)
    {
        var implementation = Enum.Parse<X25519Implementation>(name);
        var entropy = new ChosenX25519Entropy(implementation);
        using var context = new TicketServerContext(TestCertificates.EcdsaP256, null, TimeProvider.System, entropy) { Groups = [NamedGroup.x25519] };
        using var pair = await SocketPair.CreateAsync();
        await using var connection = context.CreateConnection(pair.Server);

        var server = connection.HandshakeAsync();
        await using var client = new SslStream(new NetworkStream(pair.Client, ownsSocket: false), false, (_, _, _, _) => true);
        await client.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            EnabledSslProtocols = SslProtocols.Tls13,
        });
        await server;

        // Application data both ways proves both sides derived the same keys from the exchange.
        await client.WriteAsync("ping"u8.ToArray());
        var buffer = new byte[4];
        Assert.Equal(4, await connection.ReadAsync(buffer));
        Assert.Equal("ping"u8.ToArray(), buffer);
        await connection.WriteAsync("pong"u8.ToArray());
        await client.ReadExactlyAsync(buffer);
        Assert.Equal("pong"u8.ToArray(), buffer);
        Assert.Equal("x25519", connection.Group);
        Assert.Equal(1, entropy.ScalarsDrawn);
    }

    /// <summary>
    /// Draws like the system source (or gives a fixed x25519 scalar) and names the x25519 implementation, so the server's
    /// own path from entropy to key share runs through the library a test chooses.
    /// </summary>
    private sealed class ChosenX25519Entropy(X25519Implementation implementation, byte[]? scalar = null) : EntropySource
    {
        public int ScalarsDrawn { get; private set; }

        public override X25519Implementation X25519Implementation => implementation;

        public override void Fill(Span<byte> destination, EntropyUse use)
        {
            if (use != EntropyUse.KeySharePrivateKey)
            {
                base.Fill(destination, use);
                return;
            }

            ScalarsDrawn++;
            if (scalar is null)
            {
                base.Fill(destination, use);
            }
            else
            {
                scalar.CopyTo(destination);
            }
        }
    }

    private static void AssertAgreement(X25519Implementation implementation, string scalar, string u, string expected)
    {
        using var exchange = X25519KeyExchange.FromPrivateKey(Convert.FromHexString(scalar), implementation);
        Assert.Equal(expected, Convert.ToHexStringLower(exchange.DeriveSharedSecret(Convert.FromHexString(u)).ThrowIfFail()));
    }

    private static void AssertIllegalParameter(Fin<byte[]> result)
    {
        var error = result.Match(Succ: _ => Error.New("unexpected success"), Fail: e => e);
        Assert.Equal(AlertDescription.IllegalParameter, Assert.IsType<AlertError>(error).Alert);
    }
}
