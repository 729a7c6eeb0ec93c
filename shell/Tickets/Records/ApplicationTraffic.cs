using Tickets.Crypto;

namespace Tickets.Records;

/// <summary>
/// The application traffic secrets of both directions after the handshake, kept so KeyUpdate can step
/// each direction to its next generation (RFC 8446 §7.2) independently of the other.
/// </summary>
internal sealed class ApplicationTraffic(CipherSuiteParameters suite, byte[] clientSecret, byte[] serverSecret) : IDisposable
{
    private byte[] clientSecret = clientSecret;
    private byte[] serverSecret = serverSecret;

    public CipherSuiteParameters Suite { get; } = suite;

    public RecordOpener CurrentReadKey() => RecordOpener.FromSecret(Suite, clientSecret);

    public RecordSealer CurrentWriteKey() => RecordSealer.FromSecret(Suite, serverSecret);

    /// <summary>The peer updated its sending key: derive the next client secret and its opener.</summary>
    public RecordOpener NextReadKey()
    {
        clientSecret = Step(clientSecret);
        return CurrentReadKey();
    }

    /// <summary>We update our sending key: derive the next server secret and its sealer.</summary>
    public RecordSealer NextWriteKey()
    {
        serverSecret = Step(serverSecret);
        return CurrentWriteKey();
    }

    /// <summary>
    /// Checks the Finished that ends a post-handshake authentication: its key comes from the client's current
    /// application traffic secret (RFC 8446 §4.4, "Post-Handshake").
    /// </summary>
    public bool VerifyClientFinished(ReadOnlySpan<byte> transcriptHash, ReadOnlySpan<byte> verifyData) =>
        KeySchedule.VerifyFinished(Suite.Hash, clientSecret, transcriptHash, verifyData);

    private byte[] Step(byte[] secret)
    {
        var next = KeySchedule.NextApplicationTrafficSecret(Suite.Hash, secret);
        System.Security.Cryptography.CryptographicOperations.ZeroMemory(secret);
        return next;
    }

    public void Dispose()
    {
        System.Security.Cryptography.CryptographicOperations.ZeroMemory(clientSecret);
        System.Security.Cryptography.CryptographicOperations.ZeroMemory(serverSecret);
    }
}
