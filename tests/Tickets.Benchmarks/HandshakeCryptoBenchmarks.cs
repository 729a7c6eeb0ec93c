using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Tickets.Core.Protocol;
using Tickets.Crypto;

namespace Tickets.Benchmarks;

/// <summary>
/// The public-key and key-schedule work inside one handshake, each alone, to see what dominates a
/// handshake's cost: the x25519 exchange (key generation and agreement, libsodium and BouncyCastle), P-256 ECDH for
/// comparison (the base library, i.e. OpenSSL), the ECDSA P-256 CertificateVerify signature, and the
/// HKDF chain from early secret to application traffic secrets.
/// </summary>
[MemoryDiagnoser]
public class HandshakeCryptoBenchmarks
{
    private readonly byte[] transcriptHash = RandomNumberGenerator.GetBytes(32);
    private byte[] x25519Peer = [];
    private byte[] p256Peer = [];
    private CertificateSigner signer = null!;

    [GlobalSetup]
    public void Setup()
    {
        using (var peer = KeyExchange.Create(NamedGroup.x25519))
        {
            x25519Peer = peer.PublicKey;
        }

        using (var peer = KeyExchange.Create(NamedGroup.secp256r1))
        {
            p256Peer = peer.PublicKey;
        }

        using var context = ScriptedClient.CreateServer();
        signer = new CertificateSigner(context.Certificate);
    }

    [GlobalCleanup]
    public void Cleanup() => signer.Dispose();

    [Benchmark]
    public byte[] X25519GenerateAndAgree()
    {
        using var ours = KeyExchange.Create(NamedGroup.x25519);
        return ours.DeriveSharedSecret(x25519Peer).Match(secret => secret, _ => []);
    }

    [Benchmark]
    public byte[] X25519GenerateAndAgreeLibsodium() => GenerateAndAgree(X25519Implementation.Libsodium);

    [Benchmark]
    public byte[] X25519GenerateAndAgreeBouncyCastle() => GenerateAndAgree(X25519Implementation.BouncyCastle);

    [Benchmark]
    public byte[] X25519GenerateLibsodium() => Generate(X25519Implementation.Libsodium);

    [Benchmark]
    public byte[] X25519GenerateBouncyCastle() => Generate(X25519Implementation.BouncyCastle);

    [Benchmark]
    public byte[] P256GenerateAndAgree()
    {
        using var ours = KeyExchange.Create(NamedGroup.secp256r1);
        return ours.DeriveSharedSecret(p256Peer).Match(secret => secret, _ => []);
    }

    private byte[] GenerateAndAgree(X25519Implementation implementation)
    {
        using var ours = X25519KeyExchange.Generate(implementation);
        return ours.DeriveSharedSecret(x25519Peer).Match(secret => secret, _ => []);
    }

    private static byte[] Generate(X25519Implementation implementation)
    {
        using var ours = X25519KeyExchange.Generate(implementation);
        return ours.PublicKey;
    }

    [Benchmark]
    public byte[] EcdsaP256SignCertificateVerify() => signer.Sign(SignatureScheme.ecdsa_secp256r1_sha256, transcriptHash);

    [Benchmark]
    public byte[] KeyScheduleFullChain()
    {
        using var chain = new SecretChain(HashAlgorithmName.SHA256);
        chain.AdvanceToHandshake(transcriptHash);
        chain.ClientHandshakeTrafficSecret(transcriptHash);
        chain.ServerHandshakeTrafficSecret(transcriptHash);
        chain.AdvanceToMaster();
        chain.ClientApplicationTrafficSecret(transcriptHash);
        chain.ServerApplicationTrafficSecret(transcriptHash);
        return chain.ResumptionMasterSecret(transcriptHash);
    }
}
