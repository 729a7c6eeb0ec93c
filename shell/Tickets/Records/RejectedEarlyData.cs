using Tickets.Core.Protocol;

namespace Tickets.Records;

/// <summary>
/// Early data this server does not accept, skipped rather than failed on (RFC 8446 §4.2.10). A client whose ClientHello
/// offers early_data sends application data right behind it, protected with a key derived from its PSK; a server that
/// declines answers without early_data in EncryptedExtensions, and meanwhile must discard those records: after a
/// HelloRetryRequest every application_data record until the second ClientHello, otherwise every record that fails to
/// decrypt under the handshake key until the first one that does. At most <see cref="Limit"/> bytes are skipped, as
/// OpenSSL bounds them by its max_early_data (16384 by default); beyond that, unexpected_message.
/// </summary>
/// <param name="limit">Bytes of early data skipped at most (each record counts its ciphertext minus the AEAD's 17).</param>
internal sealed class RejectedEarlyData(int limit)
{
    /// <summary>An AEAD tag and the inner content type: what a record adds to the data the client meant to send.</summary>
    private const int RecordOverhead = Crypto.CipherSuiteParameters.TagLength + 1;

    private long skipped;

    /// <summary>The most early data skipped, in bytes of data (the context's EarlyDataSkipLimit).</summary>
    public int Limit { get; } = limit;

    /// <summary>Skipped so far.</summary>
    public long Skipped => skipped;

    /// <summary>
    /// Accounts for one discarded record of <paramref name="bodyLength"/> bytes; every record counts at least one byte,
    /// so even empty ones cannot be sent forever. Throws unexpected_message past the limit.
    /// </summary>
    public void Skip(int bodyLength)
    {
        skipped += Math.Max(1, bodyLength - RecordOverhead);
        if (skipped > Limit)
        {
            throw new TlsAlertException(AlertDescription.UnexpectedMessage,
                $"more than {Limit} bytes of early data, which this server does not accept");
        }
    }
}
