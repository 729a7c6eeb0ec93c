using System.Security.Cryptography;
using Tickets.Cli;
using Tickets.Core.Protocol;
using Tickets.Tests.Crypto;

namespace Tickets.Tests.Cli;

/// <summary>`tickets serve --groups` and the key files --key reads (PKCS#8 of every kind, SEC1, PKCS#1).</summary>
[Trait("Category", TestCategory.Unit)]
public sealed class GroupsAndKeysOptionTests
{
    [Fact]
    public void Groups_take_openssl_names_in_order()
    {
        var serve = Assert.IsType<ParsedCommand.Serve>(ArgumentParser.Parse(["serve", "--groups", "ffdhe2048:X448:P-256"]));
        Assert.Equal([NamedGroup.ffdhe2048, NamedGroup.x448, NamedGroup.secp256r1], serve.Options.Groups);
        Assert.Null(Assert.IsType<ParsedCommand.Serve>(ArgumentParser.Parse(["serve"])).Options.Groups);
    }

    [Theory]
    [InlineData("brainpoolP256r1", "unknown group 'brainpoolP256r1'")]
    [InlineData("x25519:x25519", "listed twice")]
    [InlineData("", "empty group name")]
    public void Bad_group_lists_are_usage_errors(string list, string problem)
    {
        var invalid = Assert.IsType<ParsedCommand.Invalid>(ArgumentParser.Parse(["serve", "--groups", list]));
        Assert.Contains(problem, invalid.Problem, StringComparison.Ordinal);
        Assert.StartsWith("--groups: ", invalid.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("p256")]
    [InlineData("rsa-pss")]
    [InlineData("ed25519")]
    [InlineData("ed448")]
    public void Pkcs8_keys_of_any_kind_come_back_unchanged(string kind)
    {
        var pkcs8 = CertificateKeys.Get(kind).Pkcs8;
        var pem = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n" + PemEncoding.WriteString("PRIVATE KEY", pkcs8);
        var (key, problem) = PemCertificateLoader.ReadPrivateKey(pem);
        Assert.Null(problem);
        Assert.Equal(pkcs8, key);
    }

    [Fact]
    public void Sec1_and_pkcs1_keys_become_pkcs8()
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        // openssl ecparam -genkey writes the parameters first: they are passed over.
        var ecPem = PemEncoding.WriteString("EC PARAMETERS", [0x06, 0x05, 0x2B, 0x81, 0x04, 0x00, 0x22]) + "\n" + ecdsa.ExportECPrivateKeyPem();
        var (ecKey, _) = PemCertificateLoader.ReadPrivateKey(ecPem);
        using var ecBack = ECDsa.Create();
        ecBack.ImportPkcs8PrivateKey(ecKey, out _);
        Assert.Equal(ecdsa.ExportParameters(true).D, ecBack.ExportParameters(true).D);

        using var rsa = RSA.Create(2048);
        var (rsaKey, _) = PemCertificateLoader.ReadPrivateKey(rsa.ExportRSAPrivateKeyPem());
        using var rsaBack = RSA.Create();
        rsaBack.ImportPkcs8PrivateKey(rsaKey, out _);
        Assert.Equal(rsa.ExportParameters(false).Modulus, rsaBack.ExportParameters(false).Modulus);
    }

    [Fact]
    public void Encrypted_or_missing_keys_are_explained()
    {
        using var ecdsa = ECDsa.Create();
        var encrypted = ecdsa.ExportEncryptedPkcs8PrivateKeyPem("secret", new PbeParameters(PbeEncryptionAlgorithm.Aes128Cbc, HashAlgorithmName.SHA256, 1000));
        Assert.Contains("encrypted", PemCertificateLoader.ReadPrivateKey(encrypted).Problem, StringComparison.Ordinal);
        Assert.Contains("no PRIVATE KEY", PemCertificateLoader.ReadPrivateKey("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n").Problem, StringComparison.Ordinal);
    }
}
