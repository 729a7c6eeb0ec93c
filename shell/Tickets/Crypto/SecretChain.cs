using System.Security.Cryptography;

namespace Tickets.Crypto;

/// <summary>
/// One connection's walk down the TLS 1.3 key schedule (RFC 8446 §7.1):
/// PSK -> early secret -> (ECDHE) handshake secret -> master secret, with the traffic, binder, exporter and
/// resumption secrets derived at each stage. Stages only move forward; each step replaces the previous
/// stage's secret, which is wiped because it is no longer needed.
/// </summary>
internal sealed class SecretChain : IDisposable
{
    private enum Stage { Early, Handshake, Master }

    private readonly Constants constants;
    private readonly bool withoutPsk;
    private byte[] current;
    private Stage stage;

    /// <summary>Starts the chain. Without a PSK (full handshake) the early secret is extracted from zeros.</summary>
    public SecretChain(HashAlgorithmName hash, ReadOnlySpan<byte> psk = default)
    {
        Hash = hash;
        HashLength = KeySchedule.HashLength(hash);
        constants = Constants.For(hash);
        withoutPsk = psk.IsEmpty;
        current = withoutPsk ? (byte[])constants.EarlySecretWithoutPsk.Clone() : KeySchedule.Extract(hash, ReadOnlySpan<byte>.Empty, psk);
        stage = Stage.Early;
    }

    /// <summary>
    /// What every chain of one hash shares: Hash(""), and for handshakes without a PSK the early secret
    /// HKDF-Extract(0, 0) and its Derive-Secret(., "derived", ""). Computed from zeros, they are public values, so they
    /// are computed once per process rather than with three calls into the crypto library per full handshake.
    /// </summary>
    private sealed class Constants
    {
        private static readonly Constants Sha256 = new(HashAlgorithmName.SHA256);
        private static readonly Constants Sha384 = new(HashAlgorithmName.SHA384);

        private Constants(HashAlgorithmName hash)
        {
            EmptyHash = KeySchedule.EmptyHash(hash);
            EarlySecretWithoutPsk = KeySchedule.Extract(hash, ReadOnlySpan<byte>.Empty, ReadOnlySpan<byte>.Empty);
            DerivedWithoutPsk = KeySchedule.DeriveSecret(hash, EarlySecretWithoutPsk, "derived", EmptyHash);
        }

        public byte[] EmptyHash { get; }

        public byte[] EarlySecretWithoutPsk { get; }

        public byte[] DerivedWithoutPsk { get; }

        public static Constants For(HashAlgorithmName hash) =>
            hash == HashAlgorithmName.SHA256 ? Sha256 : hash == HashAlgorithmName.SHA384 ? Sha384 : new(hash);
    }

    public HashAlgorithmName Hash { get; }

    public int HashLength { get; }

    /// <summary>A copy of the early secret; available until <see cref="AdvanceToHandshake"/>.</summary>
    public byte[] EarlySecret => (byte[])Secret(Stage.Early).Clone();

    /// <summary>A copy of the handshake secret; available between <see cref="AdvanceToHandshake"/> and <see cref="AdvanceToMaster"/>.</summary>
    public byte[] HandshakeSecret => (byte[])Secret(Stage.Handshake).Clone();

    /// <summary>A copy of the master secret; available after <see cref="AdvanceToMaster"/>.</summary>
    public byte[] MasterSecret => (byte[])Secret(Stage.Master).Clone();

    /// <summary>binder_key for a resumption PSK: Derive-Secret(early, "res binder", "").</summary>
    public byte[] ResumptionBinderKey() => Derive(Stage.Early, "res binder", constants.EmptyHash);

    /// <summary>binder_key for an external PSK: Derive-Secret(early, "ext binder", "").</summary>
    public byte[] ExternalBinderKey() => Derive(Stage.Early, "ext binder", constants.EmptyHash);

    /// <summary>client_early_traffic_secret over Hash(ClientHello), for 0-RTT data.</summary>
    public byte[] ClientEarlyTrafficSecret(ReadOnlySpan<byte> clientHelloHash) => Derive(Stage.Early, "c e traffic", clientHelloHash);

    /// <summary>early_exporter_master_secret over Hash(ClientHello).</summary>
    public byte[] EarlyExporterMasterSecret(ReadOnlySpan<byte> clientHelloHash) => Derive(Stage.Early, "e exp master", clientHelloHash);

    /// <summary>
    /// Mixes in the (EC)DHE shared secret: handshake secret = HKDF-Extract(Derive-Secret(early, "derived", ""), ecdhe).
    /// psk_ke mode has no key exchange; an empty shared secret stands for Hash.length zeros then.
    /// </summary>
    public void AdvanceToHandshake(ReadOnlySpan<byte> sharedSecret)
    {
        if (withoutPsk)
        {
            // Still checks the stage: the shared value stands for Derive-Secret(early, "derived", "").
            _ = Secret(Stage.Early);
            Replace(KeySchedule.Extract(Hash, constants.DerivedWithoutPsk, sharedSecret), Stage.Handshake);
            return;
        }

        var derived = Derive(Stage.Early, "derived", constants.EmptyHash);
        Replace(KeySchedule.Extract(Hash, derived, sharedSecret), Stage.Handshake);
        CryptographicOperations.ZeroMemory(derived);
    }

    /// <summary>client_handshake_traffic_secret over Hash(ClientHello..ServerHello).</summary>
    public byte[] ClientHandshakeTrafficSecret(ReadOnlySpan<byte> helloHash) => Derive(Stage.Handshake, "c hs traffic", helloHash);

    /// <summary>server_handshake_traffic_secret over Hash(ClientHello..ServerHello).</summary>
    public byte[] ServerHandshakeTrafficSecret(ReadOnlySpan<byte> helloHash) => Derive(Stage.Handshake, "s hs traffic", helloHash);

    /// <summary>Master secret = HKDF-Extract(Derive-Secret(handshake, "derived", ""), 0).</summary>
    public void AdvanceToMaster()
    {
        var derived = Derive(Stage.Handshake, "derived", constants.EmptyHash);
        Replace(KeySchedule.Extract(Hash, derived, ReadOnlySpan<byte>.Empty), Stage.Master);
        CryptographicOperations.ZeroMemory(derived);
    }

    /// <summary>client_application_traffic_secret_0 over Hash(ClientHello..server Finished).</summary>
    public byte[] ClientApplicationTrafficSecret(ReadOnlySpan<byte> serverFinishedHash) => Derive(Stage.Master, "c ap traffic", serverFinishedHash);

    /// <summary>server_application_traffic_secret_0 over Hash(ClientHello..server Finished).</summary>
    public byte[] ServerApplicationTrafficSecret(ReadOnlySpan<byte> serverFinishedHash) => Derive(Stage.Master, "s ap traffic", serverFinishedHash);

    /// <summary>exporter_master_secret over Hash(ClientHello..server Finished).</summary>
    public byte[] ExporterMasterSecret(ReadOnlySpan<byte> serverFinishedHash) => Derive(Stage.Master, "exp master", serverFinishedHash);

    /// <summary>resumption_master_secret over Hash(ClientHello..client Finished); tickets' PSKs derive from it.</summary>
    public byte[] ResumptionMasterSecret(ReadOnlySpan<byte> clientFinishedHash) => Derive(Stage.Master, "res master", clientFinishedHash);

    public void Dispose() => CryptographicOperations.ZeroMemory(current);

    private byte[] Derive(Stage required, string label, ReadOnlySpan<byte> transcriptHash) =>
        KeySchedule.DeriveSecret(Hash, Secret(required), label, transcriptHash);

    private byte[] Secret(Stage required) =>
        stage == required ? current : throw new InvalidOperationException($"Key schedule is at the {stage} stage, not {required}.");

    private void Replace(byte[] next, Stage nextStage)
    {
        CryptographicOperations.ZeroMemory(current);
        current = next;
        stage = nextStage;
    }
}
