using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using LanguageExt;
using Tickets.Core.Model;
using Tickets.Core.Protocol;
using Tickets.Crypto;
using Tickets.Handshake;
using Tickets.Records;
using Tickets.Traffic;

namespace Tickets.Tests.Traffic;

/// <summary>
/// A <see cref="TrafficState"/> as a connection has it right after a handshake, and the client's side of that handshake:
/// the same traffic secrets and the same transcript, so a test can write the messages a client would send after the
/// handshake (KeyUpdate, the answer to a CertificateRequest) and check what the state makes of them. No socket, no
/// record layer: the test feeds handshake record payloads and reads effects.
/// </summary>
internal sealed class TrafficClient : IDisposable
{
    private readonly TranscriptHash transcript;
    private byte[] clientSecret;
    private byte[] serverSecret;

    private TrafficClient(TicketServerContext context, bool postHandshakeAuth, bool resumed)
    {
        Context = context;
        Suite = CipherSuiteParameters.Aes128GcmSha256;
        clientSecret = RandomNumberGenerator.GetBytes(32);
        serverSecret = RandomNumberGenerator.GetBytes(32);
        // Any bytes stand for the handshake through the client's Finished: both sides hashed the same ones.
        transcript = new TranscriptHash(Suite.Hash);
        transcript.Append("ClientHello ... client Finished"u8);
        Session = new HandshakeSummary(
            Suite,
            NamedGroup.x25519,
            resumed ? null : SignatureScheme.ecdsa_secp256r1_sha256,
            ServerName: null,
            ApplicationProtocol: null,
            Resumed: resumed,
            ClientOfferedPskModes: true,
            Peer: Option<PeerIdentity>.None,
            new ApplicationTraffic(Suite, clientSecret.ToArray(), serverSecret.ToArray()),
            RandomNumberGenerator.GetBytes(32))
        {
            PostHandshakeAuthOffered = postHandshakeAuth,
            HandshakeTranscript = postHandshakeAuth ? transcript.Fork() : null,
            AuthenticationContext = context.ClientAuthentication.Context,
        };
        Ledger = new TicketLedger(context, Connection.Create(context.Settings));
        State = new TrafficState(Session, Ledger, context, HandshakeReassembler.DefaultMaxMessageLength);
    }

    public TicketServerContext Context { get; }

    public CipherSuiteParameters Suite { get; }

    public HandshakeSummary Session { get; }

    public TicketLedger Ledger { get; }

    public TrafficState State { get; }

    /// <summary>A state fresh from a full handshake (or a resumption), whose tickets the test has already had decided.</summary>
    public static TrafficClient AfterHandshake(TicketServerContext context, bool postHandshakeAuth = true, bool resumed = false)
    {
        var client = new TrafficClient(context, postHandshakeAuth, resumed);
        Assert.IsType<TrafficEffect.IssueTickets>(client.State.AfterHandshake());
        return client;
    }

    public static byte[] KeyUpdate(KeyUpdateRequest request) => KeyUpdateCodec.Encode(request);

    /// <summary>The client's KeyUpdate moved its key: a record it seals now, which the opener of a SwitchReadKey must open.</summary>
    public byte[] SealedUnderNextClientKey(ReadOnlySpan<byte> content)
    {
        clientSecret = KeySchedule.NextApplicationTrafficSecret(Suite.Hash, clientSecret);
        using var sealer = RecordSealer.FromSecret(Suite, clientSecret);
        return Engine.ScriptedSession.Sealed(sealer, ContentType.ApplicationData, content);
    }

    /// <summary>Opens a record the server sealed, as the client does after stepping to the server's next secret.</summary>
    public byte[]? OpenUnderNextServerKey(byte[] record)
    {
        serverSecret = KeySchedule.NextApplicationTrafficSecret(Suite.Hash, serverSecret);
        using var opener = RecordOpener.FromSecret(Suite, serverSecret);
        return Open(opener, record);
    }

    public static byte[]? Open(RecordOpener opener, byte[] record)
    {
        var content = new byte[record.Length];
        var opened = opener.Open(record.AsSpan(0, RecordHeader.Size), record.AsSpan(RecordHeader.Size), content);
        return opened.IsOk ? content[..opened.Length] : null;
    }

    /// <summary>
    /// The client's answer to <paramref name="certificateRequest"/>: Certificate (with <paramref name="certificate"/>, or
    /// empty), CertificateVerify when it sent one, and Finished, each added to its transcript as it goes. The messages
    /// are written by hand from RFC 8446 §4.4.2 to §4.4.4, independently of the codecs under test.
    /// </summary>
    public byte[][] Answer(byte[] certificateRequest, X509Certificate2? certificate, bool corruptFinished = false)
    {
        var answer = transcript.Fork();
        try
        {
            answer.Append(certificateRequest);
            // CertificateRequest: context<0..255>, extensions.
            var requestContext = certificateRequest.AsSpan(HandshakeFraming.HeaderLength + 1, certificateRequest[HandshakeFraming.HeaderLength]);
            var certificateBody = new List<byte>([(byte)requestContext.Length, .. requestContext]);
            var entries = new List<byte>();
            if (certificate is not null)
            {
                entries.AddRange(Uint24(certificate.RawData.Length));
                entries.AddRange(certificate.RawData);
                entries.AddRange([0, 0]);
            }

            certificateBody.AddRange(Uint24(entries.Count));
            certificateBody.AddRange(entries);
            var messages = new List<byte[]> { HandshakeFraming.Frame(HandshakeType.Certificate, certificateBody.ToArray()) };
            answer.Append(messages[^1]);

            if (certificate is not null)
            {
                using var signer = new CertificateSigner(certificate);
                var scheme = SignatureScheme.ecdsa_secp256r1_sha256;
                var signature = signer.Sign(scheme, answer.Current(), CertificateVerifyRole.Client);
                var verifyBody = new byte[4 + signature.Length];
                BinaryPrimitives.WriteUInt16BigEndian(verifyBody, (ushort)scheme);
                BinaryPrimitives.WriteUInt16BigEndian(verifyBody.AsSpan(2), (ushort)signature.Length);
                signature.CopyTo(verifyBody, 4);
                messages.Add(HandshakeFraming.Frame(HandshakeType.CertificateVerify, verifyBody));
                answer.Append(messages[^1]);
            }

            // Finished: keyed with the client's current application traffic secret (RFC 8446 §4.4, post-handshake).
            var verifyData = KeySchedule.FinishedVerifyData(Suite.Hash, clientSecret, answer.Current());
            if (corruptFinished)
            {
                verifyData[0] ^= 1;
            }

            messages.Add(HandshakeFraming.Frame(HandshakeType.Finished, verifyData));
            return [.. messages];
        }
        finally
        {
            answer.Dispose();
        }
    }

    private static byte[] Uint24(int value) => [(byte)(value >> 16), (byte)(value >> 8), (byte)value];

    public void Dispose()
    {
        State.Abandon(new ObjectDisposedException(nameof(TrafficClient)));
        Session.Traffic.Dispose();
        Session.HandshakeTranscript?.Dispose();
        transcript.Dispose();
    }
}
