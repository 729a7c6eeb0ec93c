using System.Security.Cryptography;
using LanguageExt;
using Tickets.Core;
using Tickets.Core.Model;
using Tickets.Core.Policy;
using Tickets.Core.Protocol;
using Tickets.TicketStore;

namespace Tickets.Tests.Engine;

/// <summary>
/// The core's resumption rules as the engine carries them out, with tickets sealed by the server's own key
/// and hand-made ClientHellos: the server name and the ALPN protocol are bound to the session, a server requiring
/// verified clients resumes only verified sessions, only the first four identities are looked at, a spent single-use
/// ticket makes way for the next identity, and a resumed connection reports what its session carries.
/// </summary>
[Trait("Category", TestCategory.Unit)]
public sealed class ResumptionRulesTests
{
    private const uint AgeAdd = 0x01020304;

    private static SessionState Session(
        string? serverName = null, string? protocol = null, PeerIdentity? peer = null, AuthenticationContext? authentication = null) =>
        TestSessions.State(
            CipherSuite.TLS_AES_128_GCM_SHA256, RandomNumberGenerator.GetBytes(32), DateTimeOffset.UtcNow.AddSeconds(-5).ToUnixTimeMilliseconds(),
            ageAdd: AgeAdd, serverName: serverName, applicationProtocol: protocol, peer: peer, authentication: authentication);

    private static byte[] Issue(TicketServerContext context, SessionState state) =>
        TestSessions.Issue(context, state);

    private static ScriptedClient.Offer OfferOf(byte[] ticket, SessionState state, bool corruptBinder = false) =>
        new(ticket, unchecked(5_000u + AgeAdd), state.ResumptionPsk, corruptBinder);

    private static Extension ServerName(string name) => new(ExtensionType.ServerName, ExtensionBodies.ServerNameOffered(name));

    private static Extension Alpn(string protocol) => new(ExtensionType.ApplicationLayerProtocolNegotiation, ExtensionBodies.Alpn([protocol]));

    private static IReadOnlyList<ResumptionVerdict> Verdicts(ScriptedRun run) =>
        run.Reported?.Resumption?.Verdicts.Select(check => check.Verdict).ToArray() ?? [];

    [Fact]
    public async Task A_ticket_made_for_another_server_name_gets_a_full_handshake()
    {
        using var context = new TicketServerContext(TestCertificates.EcdsaP256);
        var state = Session(serverName: "localhost");

        // The recorded openssl hello sends no server_name, as a client connecting to an IP address.
        var run = await ScriptedClient.RunAsync(context, ScriptedClient.HelloOffering([], OfferOf(Issue(context, state), state)));

        Assert.False(run.Resumed);
        Assert.Null(run.Failure);
        Assert.Equal([ResumptionVerdict.ServerNameMismatch], Verdicts(run));
        Assert.Null(run.Reported!.ServerName);
    }

    [Fact]
    public async Task With_resumption_across_server_names_the_session_resumes_and_reports_the_name_it_was_made_for()
    {
        using var context = new TicketServerContext(TestCertificates.EcdsaP256) { ResumeAcrossServerNames = true };
        var state = Session(serverName: "localhost");

        var run = await ScriptedClient.RunAsync(
            context, ScriptedClient.HelloOffering([ServerName("other.test")], OfferOf(Issue(context, state), state)));

        Assert.True(run.Resumed);
        Assert.Equal("localhost", run.Reported!.ServerName);
    }

    [Theory]
    [InlineData(null, null, true)]
    [InlineData(null, "localhost", false)]
    [InlineData("LocalHost", "localhost", true)]
    [InlineData("localhost", "localhost.", false)]
    public async Task A_session_resumes_only_under_its_own_name_ignoring_case(string? issuedFor, string? sentNow, bool resumes)
    {
        using var context = new TicketServerContext(TestCertificates.EcdsaP256);
        var state = Session(serverName: issuedFor);
        Extension[] extra = sentNow is null ? [] : [ServerName(sentNow)];

        var run = await ScriptedClient.RunAsync(context, ScriptedClient.HelloOffering(extra, OfferOf(Issue(context, state), state)));

        Assert.Equal(resumes, run.Resumed);
        Assert.Equal(resumes ? ResumptionVerdict.Accepted : ResumptionVerdict.ServerNameMismatch, Assert.Single(Verdicts(run)));
        Assert.Equal(resumes ? issuedFor : sentNow, run.Reported!.ServerName);
    }

    [Theory]
    [InlineData("http/1.1", "http/1.1", true)]
    [InlineData(null, "http/1.1", false)]
    [InlineData("h2", "http/1.1", false)]
    [InlineData("http/1.1", null, false)]
    public async Task A_session_resumes_only_with_the_alpn_protocol_it_spoke(string? sessionProtocol, string? offeredNow, bool resumes)
    {
        using var context = new TicketServerContext(TestCertificates.EcdsaP256) { ApplicationProtocols = ["http/1.1"] };
        var state = Session(protocol: sessionProtocol);
        Extension[] extra = offeredNow is null ? [] : [Alpn(offeredNow)];

        var run = await ScriptedClient.RunAsync(context, ScriptedClient.HelloOffering(extra, OfferOf(Issue(context, state), state)));

        Assert.Equal(resumes, run.Resumed);
        Assert.Equal(resumes ? ResumptionVerdict.Accepted : ResumptionVerdict.ApplicationProtocolMismatch, Assert.Single(Verdicts(run)));
        Assert.Equal(offeredNow, run.Reported!.ApplicationProtocol);
    }

    [Fact]
    public async Task Where_a_verified_client_is_required_only_a_session_with_a_verified_peer_resumes_and_it_reports_that_peer()
    {
        using var context = new TicketServerContext(TestCertificates.EcdsaP256)
        {
            ClientCertificateMode = ClientCertificateMode.Require,
            ClientCertificateAuthorities = [TestCertificates.EcdsaP256],
        };
        var verified = new PeerIdentity("CN=verified", new Bytes([1, 2, 3]), true, "ok");
        var unverified = new PeerIdentity("CN=self-signed", new Bytes([4, 5, 6]), false, "UntrustedRoot");
        var good = Session(peer: verified, authentication: context.AuthenticationContext);
        var bad = Session(peer: unverified, authentication: context.AuthenticationContext);
        var none = Session(authentication: context.AuthenticationContext);

        var resumed = await ScriptedClient.RunAsync(context, ScriptedClient.HelloOffering([], OfferOf(Issue(context, good), good)));
        var refused = await ScriptedClient.RunAsync(
            context, ScriptedClient.HelloOffering([], OfferOf(Issue(context, bad), bad), OfferOf(Issue(context, none), none)));

        Assert.True(resumed.Resumed);
        Assert.Equal(verified, resumed.Reported!.Peer);
        // A full handshake asks for a certificate; this scripted client has none to give and fails there.
        Assert.False(refused.Resumed);
        Assert.Equal(AlertDescription.UnexpectedMessage, refused.Failure?.Alert);
        Assert.Equal([ResumptionVerdict.ClientNotVerified, ResumptionVerdict.ClientNotVerified], Verdicts(refused));
    }

    [Fact]
    public async Task A_ticket_issued_under_other_client_authentication_settings_gets_a_full_handshake()
    {
        using var context = new TicketServerContext(TestCertificates.EcdsaP256) { ClientCertificateMode = ClientCertificateMode.Request };
        var issuedWithoutRequest = Session(authentication: TestSessions.NoClientAuthentication);

        var run = await ScriptedClient.RunAsync(
            context, ScriptedClient.HelloOffering([], OfferOf(Issue(context, issuedWithoutRequest), issuedWithoutRequest)));

        Assert.False(run.Resumed);
        Assert.Equal([ResumptionVerdict.AuthenticationContextMismatch], Verdicts(run));
    }

    [Theory]
    [InlineData(3, true)]
    [InlineData(4, false)]
    public async Task Only_the_first_four_identities_are_looked_at(int unknownBefore, bool resumes)
    {
        using var context = new TicketServerContext(TestCertificates.EcdsaP256);
        var state = Session();
        var offers = Enumerable.Range(0, unknownBefore)
            .Select(_ => new ScriptedClient.Offer(RandomNumberGenerator.GetBytes(120), 0, RandomNumberGenerator.GetBytes(32)))
            .Append(OfferOf(Issue(context, state), state))
            .ToArray();

        var run = await ScriptedClient.RunAsync(context, ScriptedClient.HelloOffering([], offers));

        Assert.Equal(resumes, run.Resumed);
        Assert.Equal(
            [.. Enumerable.Repeat(ResumptionVerdict.NotOpened, unknownBefore), resumes ? ResumptionVerdict.Accepted : ResumptionVerdict.BeyondIdentityCap],
            Verdicts(run));
        if (resumes)
        {
            Assert.Equal(Option<ushort>.Some((ushort)unknownBefore), run.ServerHello.SelectedPskIdentity);
        }
    }

    [Theory]
    [InlineData(TicketMode.Stateless)]
    [InlineData(TicketMode.Stateful)]
    public async Task A_spent_single_use_ticket_makes_way_for_the_next_usable_identity(TicketMode mode)
    {
        using var context = new TicketServerContext(TestCertificates.EcdsaP256) { SingleUseTickets = true, TicketMode = mode };
        var spent = Session();
        var fresh = Session();
        var spentTicket = Issue(context, spent);
        Assert.True((await ScriptedClient.RunAsync(context, ScriptedClient.HelloOffering([], OfferOf(spentTicket, spent)))).Resumed);

        var run = await ScriptedClient.RunAsync(
            context, ScriptedClient.HelloOffering([], OfferOf(spentTicket, spent), OfferOf(Issue(context, fresh), fresh)));

        Assert.Equal(Option<ushort>.Some(1), run.ServerHello.SelectedPskIdentity);
        // Stateless: the ticket opens and its binder verifies before spending it fails. Stateful: it left the cache.
        Assert.Equal(
            [mode == TicketMode.Stateless ? ResumptionVerdict.AlreadyUsed : ResumptionVerdict.NotOpened, ResumptionVerdict.Accepted],
            Verdicts(run));
    }

    [Fact]
    public async Task A_ticket_of_the_previous_format_sealed_with_a_current_key_gets_a_full_handshake()
    {
        using var context = new TicketServerContext(TestCertificates.EcdsaP256);
        var psk = RandomNumberGenerator.GetBytes(32);
        var issued = DateTimeOffset.UtcNow.AddSeconds(-5).ToUnixTimeMilliseconds();
        // Format 1: TLS 1.3, TLS_AES_128_GCM_SHA256, the PSK, issue time, 7200 s, age_add, no SNI, no ALPN, no peer.
        byte[] formatOne =
        [
            1, 0x03, 0x04, 0x13, 0x01, 32, .. psk,
            .. BitConverter.GetBytes(issued).Reverse(), 0, 0, 0x1c, 0x20, 0x01, 0x02, 0x03, 0x04, 0, 0, 0, 0,
        ];
        var ticket = context.TicketKeys().Seal(formatOne, TimeSpan.FromHours(2));

        var run = await ScriptedClient.RunAsync(
            context, ScriptedClient.HelloOffering([], new ScriptedClient.Offer(ticket, unchecked(5_000u + AgeAdd), psk)));

        Assert.False(run.Resumed);
        Assert.Null(run.Failure);
        Assert.Equal([ResumptionVerdict.NotOpened], Verdicts(run));
        Assert.Equal(2, run.Tickets.Count);
    }

    [Fact]
    public async Task A_bad_binder_on_the_chosen_identity_is_decrypt_error_even_after_an_unusable_one()
    {
        using var context = new TicketServerContext(TestCertificates.EcdsaP256);
        var expired = TestSessions.State(
            CipherSuite.TLS_AES_128_GCM_SHA256, RandomNumberGenerator.GetBytes(32), DateTimeOffset.UtcNow.AddHours(-3).ToUnixTimeMilliseconds());
        var chosen = Session();

        var error = await ScriptedClient.RefusedAsync(
            context,
            ScriptedClient.HelloOffering([], OfferOf(Issue(context, expired), expired), OfferOf(Issue(context, chosen), chosen, corruptBinder: true)));

        Assert.Equal(AlertDescription.DecryptError, error.Alert);
    }
}
