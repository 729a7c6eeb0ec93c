using Tickets.Core;
using Tickets.Core.Negotiation;
using Tickets.Core.Protocol;
using Tickets.Crypto;
using Tickets.Records;

namespace Tickets.Handshake;

/// <summary>ClientHello, negotiation and the optional HelloRetryRequest round (RFC 8446 §4.1.1–§4.1.4).</summary>
internal sealed partial class ServerHandshake
{
    // The ClientHello the handshake continues with (the second one after a HelloRetryRequest), as sent.
    private byte[] clientHelloMessage = [];
    private bool sentHelloRetryRequest;

    /// <summary>Sets <see cref="hello"/>, <see cref="clientHelloMessage"/> and the key log.</summary>
    // Pooled: every handshake waits here for the client.
    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask ReadClientHelloAsync(CancellationToken cancellationToken)
    {
        var message = await channel.ReadAsync(HandshakeType.ClientHello, cancellationToken).ConfigureAwait(false);
        // The channel hands out each message in an array of its own: keep it rather than copy it.
        clientHelloMessage = System.Runtime.InteropServices.MemoryMarshal.TryGetArray(message, out var whole)
            && whole.Offset == 0 && whole.Count == whole.Array!.Length
                ? whole.Array
                : message.ToArray();
        hello = TlsAlertException.Expect(ClientHelloCodec.Parse(clientHelloMessage));
        keyLog = new KeyLog(context.KeyLogWriter, hello.Random, channel.Records.Trace);
        channel.Records.IgnoreMiddleboxChangeCipherSpec = true;
        // We never accept early data (no early_data in EncryptedExtensions): what a client sends of it is skipped, up to
        // a limit. Only behind a first ClientHello: a second one may not offer it, and nothing skips past it.
        channel.Records.EarlyData = hello.EarlyData && !sentHelloRetryRequest ? new RejectedEarlyData(context.EarlyDataSkipLimit) : null;

        // Our reply changes keys; nothing the client sends may be pending across that change.
        channel.EnsureNothingBufferedBeforeKeyChange();
    }

    /// <summary>
    /// Picks version, suite, group, signature scheme and ALPN (the codec's Negotiator decides, with our
    /// preferences), and starts the transcript with the suite's hash. TLS-1.2-only clients fail here
    /// with protocol_version.
    /// </summary>
    private void Negotiate()
    {
        pskHash = ExternalPskHash(hello);
        negotiation = TlsAlertException.Expect(Negotiator.Negotiate(hello, Preferences()));
        suite = CipherSuiteParameters.For(negotiation.CipherSuite);
        transcript = new TranscriptHash(suite.Hash);
    }

    // ChaCha20-Poly1305 depends on the platform's crypto library; offer only what can run here. Worked out
    // once per process rather than with a LINQ query per handshake.
    private static readonly EquatableArray<CipherSuite> AvailableCipherSuites =
        EquatableArray.Of(ServerPreferences.DefaultCipherSuites.Where(candidate => CipherSuiteParameters.For(candidate).IsAvailable));

    // The hash of the external PSK the first ClientHello names, if any: both ClientHellos negotiate preferring it, so a
    // HelloRetryRequest keeps the suite (§4.1.4).
    private LanguageExt.Option<HandshakeHash> pskHash;

    private ServerPreferences Preferences()
    {
        var preferences = new ServerPreferences(AvailableCipherSuites, context.GroupPreference, context.Signer.Schemes, context.ApplicationProtocolPreference)
        {
            AllowPskWithoutKeyExchange = context.AllowPskWithoutKeyExchange,
        };
        return pskHash.Case is HandshakeHash hash ? preferences.PreferringHash(hash) : preferences;
    }

    /// <summary>
    /// The client offered no key share we can use, but supports a group we do: ask for a share in it.
    /// The first ClientHello leaves the transcript as a message_hash (RFC 8446 §4.4.1).
    /// </summary>
    private async ValueTask SendHelloRetryRequestAsync(CancellationToken cancellationToken)
    {
        transcript.Append(clientHelloMessage);
        transcript.ReplaceWithMessageHash();
        var retry = HelloRetryRequestCodec.Encode(new HelloRetryRequest(
            hello.LegacySessionId, negotiation.CipherSuite, negotiation.Group, LanguageExt.Option<Bytes>.None));
        transcript.Append(retry);
        channel.Write(retry);
        WriteMiddleboxChangeCipherSpec();
        sentHelloRetryRequest = true;
        await channel.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The second ClientHello must answer the HelloRetryRequest (RFC 8446 §4.1.2): unchanged but for one key
    /// share in the group we asked for and no early data, negotiating the same suite (the Negotiator checks).
    /// </summary>
    private async ValueTask ReadSecondClientHelloAsync(CancellationToken cancellationToken)
    {
        var first = hello;
        var firstNegotiation = negotiation;
        await ReadClientHelloAsync(cancellationToken).ConfigureAwait(false);

        negotiation = TlsAlertException.Expect(Negotiator.NegotiateRetry(first, firstNegotiation, hello, Preferences()));
    }

    /// <summary>
    /// A client in middlebox compatibility mode (non-empty legacy_session_id) expects a dummy
    /// change_cipher_spec after our first handshake message (RFC 8446 Appendix D.4).
    /// </summary>
    private void WriteMiddleboxChangeCipherSpec()
    {
        if (hello.LegacySessionId.Length > 0 && !sentHelloRetryRequest)
        {
            channel.WriteRecord(ContentType.ChangeCipherSpec, [1]);
        }
    }
}
