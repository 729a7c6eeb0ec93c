using LanguageExt;
using Tickets.Core.Model;
using Tickets.Sessions;

namespace Tickets.Tests.Engine;

/// <summary>The session state sealed into tickets survives a round trip and refuses malformed bytes.</summary>
[Trait("Category", TestCategory.Unit)]
public class SessionStateFormatTests
{
    private static SessionState Sample(Option<PeerIdentity> peer) => new(
        0x0304, 0x1302, [.. Enumerable.Range(1, 48).Select(i => (byte)i)], 1_764_000_000_123, 7200, 0xDEADBEEF,
        "localhost", "http/1.1", peer);

    [Fact]
    public void Round_trip_without_and_with_a_peer()
    {
        var peer = new PeerIdentity("CN=client", new Arr<byte>([1, 2, 3]), true, "ok");
        foreach (var state in new[] { Sample(Option<PeerIdentity>.None), Sample(peer) })
        {
            var decoded = SessionStateFormat.Decode(SessionStateFormat.Encode(state));
            Assert.NotNull(decoded);
            Assert.Equal(state.ResumptionPsk, decoded.ResumptionPsk);
            Assert.Equal(state with { ResumptionPsk = decoded.ResumptionPsk }, decoded);
        }
    }

    [Fact]
    public void Absent_name_and_protocol_stay_absent()
    {
        var state = Sample(Option<PeerIdentity>.None) with { ServerName = null, ApplicationProtocol = null };
        var decoded = SessionStateFormat.Decode(SessionStateFormat.Encode(state));
        Assert.NotNull(decoded);
        Assert.Null(decoded.ServerName);
        Assert.Null(decoded.ApplicationProtocol);
    }

    [Fact]
    public void Every_truncation_and_trailing_garbage_is_refused()
    {
        var bytes = SessionStateFormat.Encode(Sample(new PeerIdentity("CN=x", new Arr<byte>([9]), false, "unverified")));
        for (var length = 0; length < bytes.Length; length++)
        {
            Assert.Null(SessionStateFormat.Decode(bytes.AsSpan(0, length)));
        }

        Assert.Null(SessionStateFormat.Decode([.. bytes, 0]));
        var otherFormat = (byte[])bytes.Clone();
        otherFormat[0] = 2;
        Assert.Null(SessionStateFormat.Decode(otherFormat));
    }
}
