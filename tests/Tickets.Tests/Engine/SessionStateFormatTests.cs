using LanguageExt;
using Tickets.Core;
using Tickets.Core.Model;
using Tickets.Core.Protocol;
using Tickets.TicketStore;

namespace Tickets.Tests.Engine;

/// <summary>The session state sealed into tickets survives a round trip and refuses malformed bytes.</summary>
[Trait("Category", TestCategory.Unit)]
public class SessionStateFormatTests
{
    private static readonly AuthenticationContext Strict = new(ClientCertificateRequirement.Require, new string('a', 64));

    private static SessionState Sample(PeerIdentity? peer) => TestSessions.State(
        CipherSuite.TLS_AES_256_GCM_SHA384, [.. Enumerable.Range(1, 48).Select(i => (byte)i)], 1_764_000_000_123, 7200, 0xDEADBEEF,
        "localhost", "http/1.1", peer, Strict);

    [Fact]
    public void Round_trip_without_and_with_a_peer()
    {
        var peer = new PeerIdentity("CN=client", new Bytes([1, 2, 3]), true, "ok");
        foreach (var state in new[] { Sample(null), Sample(peer) })
        {
            var decoded = SessionStateFormat.Decode(SessionStateFormat.Encode(state));
            Assert.NotNull(decoded);
            Assert.Equal(state.ResumptionPsk, decoded.ResumptionPsk);
            Assert.Equal(state.Session, decoded.Session);
        }
    }

    [Fact]
    public void An_external_psk_holder_round_trips_as_peer_kind_2_and_a_kind_3_is_refused()
    {
        var state = Sample(PeerIdentity.OfExternalPsk(new Bytes("Client_identity"u8.ToArray())));
        var bytes = SessionStateFormat.Encode(state);

        var decoded = SessionStateFormat.Decode(bytes);
        Assert.NotNull(decoded);
        Assert.Equal(state.Session, decoded.Session);
        Assert.True(Assert.IsType<PeerIdentity>(decoded.Session.Peer.Case).IsExternalPsk);
        // The peer kind follows the ALPN "http/1.1" of the sample.
        var kind = bytes.AsSpan().IndexOf("http/1.1"u8) + "http/1.1".Length;
        Assert.Equal(2, bytes[kind]);
        bytes[kind] = 3;
        Assert.Null(SessionStateFormat.Decode(bytes));
    }

    [Fact]
    public void Absent_name_and_protocol_stay_absent_and_every_requirement_round_trips()
    {
        foreach (var requirement in Enum.GetValues<ClientCertificateRequirement>())
        {
            var state = Sample(null);
            state = state with
            {
                Session = state.Session with
                {
                    ServerName = Option<string>.None,
                    ApplicationProtocol = Option<string>.None,
                    AuthenticationContext = Strict with { Requirement = requirement },
                },
            };
            var decoded = SessionStateFormat.Decode(SessionStateFormat.Encode(state));
            Assert.NotNull(decoded);
            Assert.Equal(state.Session, decoded.Session);
        }
    }

    [Fact]
    public void Every_truncation_and_trailing_garbage_is_refused()
    {
        var bytes = SessionStateFormat.Encode(Sample(new PeerIdentity("CN=x", new Bytes([9]), false, "unverified")));
        for (var length = 0; length < bytes.Length; length++)
        {
            Assert.Null(SessionStateFormat.Decode(bytes.AsSpan(0, length)));
        }

        Assert.Null(SessionStateFormat.Decode([.. bytes, 0]));
        var otherFormat = (byte[])bytes.Clone();
        otherFormat[0] = 3;
        Assert.Null(SessionStateFormat.Decode(otherFormat));
        var unknownRequirement = (byte[])bytes.Clone();
        unknownRequirement[^34] = 3;
        Assert.Null(SessionStateFormat.Decode(unknownRequirement));
    }

    /// <summary>
    /// A ticket of format 1 (issued before tickets carried an authentication context) decodes to nothing, so its client
    /// gets a full handshake: no context can safely be assumed for it. These bytes are a format 1 state as the previous
    /// encoder wrote it: TLS 1.3, TLS_AES_128_GCM_SHA256, a 32-byte PSK, SNI "localhost", no ALPN, no peer.
    /// </summary>
    [Fact]
    public void A_state_of_the_previous_format_does_not_decode()
    {
        byte[] formatOne =
        [
            1, 0x03, 0x04, 0x13, 0x01, 32, .. Enumerable.Repeat((byte)7, 32),
            0, 0, 0x01, 0x9a, 0x00, 0x00, 0x00, 0x00, 0, 0, 0x1c, 0x20, 1, 2, 3, 4,
            0, 9, .. "localhost"u8.ToArray(), 0, 0,
        ];

        Assert.Null(SessionStateFormat.Decode(formatOne));
    }
}
