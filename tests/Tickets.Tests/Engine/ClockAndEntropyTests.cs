using System.Security.Cryptography;
using Tickets.Authentication;
using Tickets.Core;
using Tickets.Core.Model;
using Tickets.Core.Policy;
using Tickets.Core.Protocol;
using Tickets.Crypto;
using Tickets.TicketStore;

namespace Tickets.Tests.Engine;

/// <summary>
/// One clock and one entropy source, both set on the context, drive everything timed and everything random the server
/// puts into tickets and handshakes: issue times, ticket ages, key rotation, ticket_age_add, stateful session ids, the
/// post-handshake certificate_request_context (the ServerHello random and the x25519 key are fixed the same way by
/// <see cref="Rfc8448EngineReplayTests"/>).
/// </summary>
[Trait("Category", TestCategory.Unit)]
public sealed class ClockAndEntropyTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static SessionState Decoded(TicketServerContext context, Bytes ticket) =>
        SessionStateFormat.Decode(context.LocalStore().Open(context.TicketMode, ticket) ?? throw new Xunit.Sdk.XunitException("the ticket did not open"))
        ?? throw new Xunit.Sdk.XunitException("the ticket holds no session state");

    [Fact]
    public async Task Tickets_carry_the_contexts_time_and_the_age_add_of_its_entropy_source()
    {
        var clock = new ManualTimeProvider(Start);
        var entropy = new ScriptedEntropy { [EntropyUse.TicketAgeAdd] = [0xA1, 0xB2, 0xC3, 0xD4] };
        using var context = new TicketServerContext(TestCertificates.EcdsaP256, null, clock, entropy);

        var run = await ScriptedClient.RunAsync(context, ScriptedClient.Hello([]));

        Assert.Equal(2, run.Tickets.Count);
        Assert.All(run.Tickets, ticket =>
        {
            Assert.Equal(0xA1B2C3D4u, ticket.AgeAdd);
            var session = Decoded(context, ticket.Ticket).Session;
            Assert.Equal(Start.ToUnixTimeMilliseconds(), session.IssuedAtMilliseconds);
            Assert.Equal(0xA1B2C3D4u, session.AgeAdd);
        });
    }

    [Fact]
    public async Task A_stateful_ticket_is_the_session_id_the_entropy_source_drew()
    {
        byte[] id = [.. Enumerable.Range(1, SessionCache.IdLength).Select(i => (byte)i)];
        using var context = new TicketServerContext(TestCertificates.EcdsaP256, null, TimeProvider.System, new ScriptedEntropy { [EntropyUse.SessionId] = id })
        {
            TicketMode = TicketMode.Stateful,
        };
        // One ticket: a fixed id can name one session only.
        Assert.True(context.SetNumTickets(1).IsSucc);

        var run = await ScriptedClient.RunAsync(context, ScriptedClient.Hello([]));

        Assert.Equal(new Bytes(id), Assert.Single(run.Tickets).Ticket);
        Assert.Equal(1, context.LocalStore().Cache.Count);
    }

    [Fact]
    public async Task Ticket_ages_are_judged_on_the_contexts_clock()
    {
        var clock = new ManualTimeProvider(Start);
        using var context = new TicketServerContext(TestCertificates.EcdsaP256, timeProvider: clock);
        var state = TestSessions.State(CipherSuite.TLS_AES_128_GCM_SHA256, RandomNumberGenerator.GetBytes(32), Start.ToUnixTimeMilliseconds());
        var ticket = TestSessions.Issue(context, state);
        var offer = new ScriptedClient.Offer(ticket, unchecked(5_000u + state.Session.AgeAdd), state.ResumptionPsk);

        // Five seconds on the server's clock, and the client says five seconds: exactly right.
        clock.Advance(TimeSpan.FromSeconds(5));
        Assert.True((await ScriptedClient.RunAsync(context, ScriptedClient.HelloOffering([], offer))).Resumed);

        // Past the 2-hour lifetime on the server's clock, though no real time passed.
        clock.Advance(TimeSpan.FromHours(2));
        var late = await ScriptedClient.RunAsync(context, ScriptedClient.HelloOffering([], offer));
        Assert.False(late.Resumed);
        Assert.Equal([ResumptionVerdict.Expired], late.Reported!.Resumption!.Verdicts.Select(check => check.Verdict).ToArray());
    }

    [Fact]
    public void The_own_key_rotates_on_the_contexts_clock()
    {
        var clock = new ManualTimeProvider(Start);
        using var context = new TicketServerContext(TestCertificates.EcdsaP256, timeProvider: clock);
        var first = context.LocalStore().KeyNames[0];

        clock.Advance(LocalTicketStore.DefaultRotationInterval - TimeSpan.FromSeconds(1));
        Assert.Equal(first, context.LocalStore().KeyNames[0]);
        clock.Advance(TimeSpan.FromSeconds(1));

        Assert.NotEqual(first, context.LocalStore().KeyNames[0]);
    }

    [Fact]
    public void The_post_handshake_certificate_request_context_comes_from_the_entropy_source()
    {
        var requestContext = RandomNumberGenerator.GetBytes(32);
        var entropy = new ScriptedEntropy { [EntropyUse.CertificateRequestContext] = requestContext };
        using var context = new TicketServerContext(TestCertificates.EcdsaP256, null, TimeProvider.System, entropy);
        using var transcript = new TranscriptHash(HashAlgorithmName.SHA256);

        using var authentication = new PostHandshakeAuthentication(transcript, context.ClientAuthentication, context.TimeProvider, context.Entropy);

        var request = TlsAlertException.Expect(CertificateRequestCodec.Decode(authentication.Request));
        Assert.Equal(new Bytes(requestContext), request.Context);
    }
}
