using System.Security.Cryptography;
using LanguageExt;
using Tickets.Core.Model;
using Tickets.Core.Protocol;
using Tickets.Crypto;
using Tickets.Records;

namespace Tickets.Authentication;

/// <summary>
/// One post-handshake authentication (RFC 8446 §4.6.2) from our CertificateRequest to the client's Finished. Its
/// transcript is a fork of the handshake's (through the client's Finished) plus this request and the answer, so
/// every authentication stands on its own (§4.4.1). The messages arrive through whoever reads the connection; the
/// task lets the caller that asked wait for the outcome.
/// </summary>
internal sealed class PostHandshakeAuthentication : IDisposable
{
    /// <summary>OpenSSL's length for the context; random, so an answer cannot be replayed for another request.</summary>
    private const int ContextLength = 32;

    private readonly TranscriptHash transcript;
    private readonly ClientCertificateExchange exchange;
    private readonly TaskCompletionSource<ClientAuthenticationResult> completion =
        new(TaskCreationOptions.RunContinuationsAsynchronously);

    private Expected expected = Expected.Certificate;

    public PostHandshakeAuthentication(
        TranscriptHash handshakeTranscript, ClientAuthenticationPolicy policy, TimeProvider time, EntropySource entropy)
    {
        transcript = handshakeTranscript.Fork();
        Context = policy.Context;
        exchange = new ClientCertificateExchange(entropy.GetBytes(ContextLength, EntropyUse.CertificateRequestContext), policy, time);
        Request = exchange.Request();
        transcript.Append(Request);
    }

    private enum Expected
    {
        Certificate,
        CertificateVerify,
        Finished,
        Done,
    }

    /// <summary>The client-authentication context this request was made under; tickets carrying its identity are bound to it.</summary>
    public AuthenticationContext Context { get; }

    /// <summary>The CertificateRequest to send, under the server's application traffic key.</summary>
    public byte[] Request { get; }

    /// <summary>The identity proven (none when the client sent an empty Certificate); final once Finished verified.</summary>
    public Option<PeerIdentity> Peer => exchange.Peer;

    public Task<ClientAuthenticationResult> Completion => completion.Task;

    /// <summary>
    /// Takes the client's next message (judging the chain, off the socket thread, once CertificateVerify proved the
    /// key); true once its Finished verified with the key of the client's current
    /// application traffic secret. Anything out of order is unexpected_message.
    /// </summary>
    public async ValueTask<bool> AcceptAsync(byte[] message, ApplicationTraffic traffic)
    {
        var type = (HandshakeType)message[0];
        switch (expected, type)
        {
            case (Expected.Certificate, HandshakeType.Certificate):
                exchange.AcceptCertificate(message);
                transcript.Append(message);
                expected = exchange.ExpectsCertificateVerify ? Expected.CertificateVerify : Expected.Finished;
                return false;
            case (Expected.CertificateVerify, HandshakeType.CertificateVerify):
                exchange.AcceptCertificateVerify(message, transcript.Current());
                transcript.Append(message);
                expected = Expected.Finished;
                await exchange.JudgeChainAsync().ConfigureAwait(false);
                return false;
            case (Expected.Finished, HandshakeType.Finished):
                var finished = TlsAlertException.Expect(FinishedCodec.Decode(message, transcript.Length));
                if (!traffic.VerifyClientFinished(transcript.Current(), finished.VerifyData))
                {
                    throw new TlsAlertException(AlertDescription.DecryptError, "client Finished after post-handshake authentication does not verify");
                }

                expected = Expected.Done;
                return true;
            default:
                throw new TlsAlertException(AlertDescription.UnexpectedMessage, $"{type} while expecting the client's {expected}");
        }
    }

    public void Complete(ClientAuthenticationResult result) => completion.TrySetResult(result);

    public void Fail(Exception error) => completion.TrySetException(error);

    public void Dispose()
    {
        transcript.Dispose();
        exchange.Dispose();
    }
}
