using Tickets.Core.Protocol;
using Tickets.Crypto;

namespace Tickets.Handshake;

/// <summary>The client's Finished (RFC 8446 §4.4.4): the last message of the handshake.</summary>
internal sealed partial class ServerHandshake
{
    /// <summary>
    /// The client's last message, after its certificate if we asked for one. Its MAC is compared in
    /// constant time; a mismatch means the transcripts differ: decrypt_error.
    /// </summary>
    // Pooled: every handshake waits here for the client.
    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask ReadClientFinishedAsync(CancellationToken cancellationToken)
    {
        var message = await channel.ReadAsync(HandshakeType.Finished, cancellationToken).ConfigureAwait(false);
        var finished = TlsAlertException.Expect(FinishedCodec.Decode(message.Span, suite.HashLength));
        if (!KeySchedule.VerifyFinished(suite.Hash, clientHandshakeSecret, transcript.Current(), finished.VerifyData))
        {
            throw new TlsAlertException(AlertDescription.DecryptError, "client Finished does not verify");
        }

        transcript.Append(message.Span);
        channel.EnsureNothingBufferedBeforeKeyChange();
    }
}
