using System.Security.Cryptography;
using System.Text;
using LanguageExt;
using Tickets.Core;
using Tickets.Core.Model;
using Tickets.Core.Policy;
using Tickets.Core.Protocol;
using static Tickets.Tests.Engine.ExternalPskHellos;

namespace Tickets.Tests.Engine;

/// <summary>
/// External PSKs (RFC 8446 §4.2.11) end to end in the engine, with hand-made ClientHellos: the "ext binder" label,
/// wrong keys, unknown identities, both hashes, psk_ke refused and allowed, and the tickets such a connection gets.
/// </summary>
[Trait("Category", TestCategory.Unit)]
public sealed class ExternalPskEngineTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(1_764_000_000_000);
    private static readonly PskKeyExchangeMode[] DheOnly = [PskKeyExchangeMode.psk_dhe_ke];
    private static readonly PskKeyExchangeMode[] KeOnly = [PskKeyExchangeMode.psk_ke];
    private static readonly PskKeyExchangeMode[] Both = [PskKeyExchangeMode.psk_ke, PskKeyExchangeMode.psk_dhe_ke];

    private static TicketServerContext Server(HandshakeHash hash = HandshakeHash.Sha256, bool allowPskKe = false)
    {
        // A clock the tests move: tickets issued at Now are judged at the ages the tests set.
        var context = new TicketServerContext(TestCertificates.EcdsaP256, timeProvider: new ManualTimeProvider(Now))
        {
            AllowPskWithoutKeyExchange = allowPskKe,
        };
        using var psk = new ExternalPsk(Identity, Key, hash);
        context.UseExternalPsks([psk]);
        return context;
    }

    [Fact]
    public async Task A_known_identity_with_its_key_is_a_psk_handshake_without_certificates_and_gets_one_ticket()
    {
        using var context = Server();

        var run = await ScriptedClient.RunAsync(context, Hello([Known], DheOnly));

        Assert.Null(run.Failure);
        Assert.Equal(Option<ushort>.Some(0), run.ServerHello.SelectedPskIdentity);
        Assert.True(run.ServerHello.KeyShare.IsSome, "psk_dhe_ke answers the client's share");
        Assert.Equal([HandshakeType.EncryptedExtensions, HandshakeType.Finished], run.ServerFlight);
        // An external PSK counts as a resumption for tickets, as in OpenSSL 3.0: min(1, count) of the default 2.
        Assert.Single(run.Tickets);
        var peer = Assert.IsType<PeerIdentity>(run.Reported!.Peer);
        Assert.True(peer.IsExternalPsk);
        Assert.True(peer.Verified);
        Assert.Equal("test", peer.Subject);
        Assert.Equal(Identity, peer.ExternalPskIdentity.ToArray());
        Assert.Equal([ResumptionVerdict.Accepted], run.Reported.Resumption!.Verdicts.Select(check => check.Verdict).ToArray());
    }

    [Fact]
    public async Task A_wrong_key_is_decrypt_error_on_the_binder()
    {
        using var context = Server();
        var wrongKey = Known with { Psk = Enumerable.Repeat((byte)0x11, 32).ToArray() };

        var error = await ScriptedClient.RefusedAsync(context, Hello([wrongKey], DheOnly));

        Assert.Equal(AlertDescription.DecryptError, error.Alert);
    }

    [Fact]
    public async Task A_binder_made_with_the_resumption_label_does_not_verify_for_an_external_psk()
    {
        using var context = Server();

        var error = await ScriptedClient.RefusedAsync(context, Hello([Known with { External = false }], DheOnly));

        Assert.Equal(AlertDescription.DecryptError, error.Alert);
    }

    [Fact]
    public async Task An_unknown_identity_gets_a_full_handshake_with_the_certificate_and_the_full_count()
    {
        using var context = Server();

        var run = await ScriptedClient.RunAsync(context, Hello([Known with { Name = "nobody"u8.ToArray() }], DheOnly));

        Assert.Null(run.Failure);
        Assert.True(run.ServerHello.SelectedPskIdentity.IsNone);
        Assert.Contains(HandshakeType.Certificate, run.ServerFlight);
        Assert.Equal(2, run.Tickets.Count);
        Assert.Null(run.Reported!.Peer);
        Assert.Equal([ResumptionVerdict.NotOpened], run.Reported.Resumption!.Verdicts.Select(check => check.Verdict).ToArray());
    }

    [Fact]
    public async Task An_unknown_identity_from_a_client_that_cannot_verify_a_certificate_is_handshake_failure()
    {
        using var context = Server();

        var error = await ScriptedClient.RefusedAsync(
            context, Hello([Known with { Name = "nobody"u8.ToArray() }], DheOnly, signatureAlgorithms: false));

        Assert.Equal(AlertDescription.HandshakeFailure, error.Alert);
    }

    [Fact]
    public async Task A_psk_bound_to_another_hash_than_the_suite_is_not_chosen()
    {
        using var context = Server(HandshakeHash.Sha384);
        // The client offers SHA-256 suites only, so the SHA-384 PSK cannot be used: a full handshake.
        var run = await ScriptedClient.RunAsync(
            context,
            Hello([Known with { Hash = HashAlgorithmName.SHA384 }], DheOnly, suites: [CipherSuite.TLS_AES_128_GCM_SHA256]));

        Assert.True(run.ServerHello.SelectedPskIdentity.IsNone);
        Assert.Equal([ResumptionVerdict.HashMismatch], run.Reported!.Resumption!.Verdicts.Select(check => check.Verdict).ToArray());
        Assert.Equal(2, run.Tickets.Count);
    }

    [Fact]
    public async Task A_sha384_psk_makes_the_server_prefer_a_sha384_suite_the_client_offers()
    {
        using var context = Server(HandshakeHash.Sha384);

        var run = await ScriptedClient.RunAsync(context, Hello([Known with { Hash = HashAlgorithmName.SHA384 }], DheOnly));

        Assert.Equal(CipherSuite.TLS_AES_256_GCM_SHA384, run.ServerHello.CipherSuite);
        Assert.Equal(Option<ushort>.Some(0), run.ServerHello.SelectedPskIdentity);
    }

    [Fact]
    public async Task Psk_ke_alone_without_a_key_share_is_handshake_failure_unless_allowed()
    {
        using var context = Server();

        var error = await ScriptedClient.RefusedAsync(context, Hello([Known], KeOnly, keyExchange: false));

        Assert.Equal(AlertDescription.HandshakeFailure, error.Alert);
    }

    [Fact]
    public async Task Psk_ke_alone_with_a_key_share_gets_a_full_handshake_unless_allowed()
    {
        using var context = Server();

        var run = await ScriptedClient.RunAsync(context, Hello([Known], KeOnly));

        Assert.True(run.ServerHello.SelectedPskIdentity.IsNone);
        Assert.Equal([ResumptionVerdict.KeyExchangeModeRefused], run.Reported!.Resumption!.Verdicts.Select(check => check.Verdict).ToArray());
    }

    [Fact]
    public async Task Allowed_psk_ke_keys_the_connection_with_the_psk_alone_as_rfc_8446_says()
    {
        using var context = Server(allowPskKe: true);
        var clientHello = Hello([Known], KeOnly, keyExchange: false);

        var run = await ScriptedClient.RunAsync(context, clientHello);

        Assert.Null(run.Failure);
        Assert.True(run.ServerHello.KeyShare.IsNone, "psk_ke: no key_share in ServerHello");
        Assert.Equal(Option<ushort>.Some(0), run.ServerHello.SelectedPskIdentity);
        Assert.Single(run.Tickets);
        // Derived here with nothing but HKDF: the early secret from the PSK, the handshake secret from zeros (§7.1).
        var serverHello = ServerHelloCodec.Encode(run.ServerHello);
        var expected = PskKeClientHandshakeTrafficSecret(Key, clientHello, serverHello);
        Assert.Equal(Convert.ToHexStringLower(expected), LoggedSecret(run.KeyLog, "CLIENT_HANDSHAKE_TRAFFIC_SECRET"));
    }

    [Fact]
    public async Task With_both_modes_offered_and_a_key_share_psk_dhe_ke_is_preferred_even_where_psk_ke_is_allowed()
    {
        using var context = Server(allowPskKe: true);

        var run = await ScriptedClient.RunAsync(context, Hello([Known], Both));

        Assert.Equal(Option<ushort>.Some(0), run.ServerHello.SelectedPskIdentity);
        Assert.True(run.ServerHello.KeyShare.IsSome);
    }

    [Fact]
    public async Task With_both_modes_offered_and_no_key_share_psk_ke_is_used_where_allowed()
    {
        using var context = Server(allowPskKe: true);

        var run = await ScriptedClient.RunAsync(context, Hello([Known], Both, keyExchange: false));

        Assert.Equal(Option<ushort>.Some(0), run.ServerHello.SelectedPskIdentity);
        Assert.True(run.ServerHello.KeyShare.IsNone);
    }

    [Fact]
    public async Task Allowed_psk_ke_with_an_unknown_identity_and_no_key_share_is_handshake_failure()
    {
        using var context = Server(allowPskKe: true);

        var error = await ScriptedClient.RefusedAsync(context, Hello([Known with { Name = "nobody"u8.ToArray() }], KeOnly, keyExchange: false));

        Assert.Equal(AlertDescription.HandshakeFailure, error.Alert);
    }

    [Fact]
    public async Task Allowed_psk_ke_needs_no_hello_retry_for_a_share_the_server_does_not_take()
    {
        using var context = Server(allowPskKe: true);
        // The client's only share is x25519; a server taking secp256r1 alone would ask for a retry, but a psk_ke client
        // needs no share at all once its PSK is accepted (OpenSSL ignores its key_share then).
        context.Groups = [NamedGroup.secp256r1];

        var run = await ScriptedClient.RunAsync(context, Hello([Known], KeOnly));

        Assert.Equal(Option<ushort>.Some(0), run.ServerHello.SelectedPskIdentity);
        Assert.True(run.ServerHello.KeyShare.IsNone);
    }

    [Fact]
    public async Task A_psk_dhe_ke_client_with_a_share_the_server_does_not_take_gets_a_hello_retry_request()
    {
        using var context = Server(allowPskKe: true);
        context.Groups = [NamedGroup.secp256r1];
        using var pair = await SocketPair.CreateAsync();
        await using var connection = context.CreateConnection(pair.Server);
        var handshake = connection.HandshakeAsync();
        var hello = Hello([Known], Both);
        await pair.Client.SendAsync((byte[])[22, 3, 1, (byte)(hello.Length >> 8), (byte)hello.Length, .. hello], System.Net.Sockets.SocketFlags.None);

        var header = new byte[5 + 4 + 2 + 32];
        var read = 0;
        while (read < header.Length)
        {
            read += await pair.Client.ReceiveAsync(header.AsMemory(read), System.Net.Sockets.SocketFlags.None);
        }

        Assert.True(ServerHelloCodec.IsHelloRetryRequest(header.AsSpan(5)));
        pair.Client.Shutdown(System.Net.Sockets.SocketShutdown.Both);
        await Assert.ThrowsAnyAsync<Exception>(() => handshake);
    }

    [Fact]
    public async Task A_ticket_issued_after_an_external_psk_carries_its_holder_and_resumes()
    {
        using var context = Server();
        var first = await ScriptedClient.RunAsync(context, Hello([Known], DheOnly));
        var ticket = Assert.Single(first.Tickets);

        var plaintext = await context.TicketStore.OpenAsync(context.TicketMode, ticket.Ticket);
        var state = Tickets.TicketStore.SessionStateFormat.Decode(plaintext!)!;
        Assert.Equal(PeerIdentity.OfExternalPsk(new Bytes(Identity)), state.Session.Peer.Case as PeerIdentity);
        Assert.Equal(context.AuthenticationContext, state.Session.AuthenticationContext);

        ((ManualTimeProvider)context.TimeProvider).Advance(TimeSpan.FromSeconds(30));
        var resumed = await ScriptedClient.RunAsync(
            context,
            ScriptedClient.Hello([], ticket.Ticket.ToArray(), unchecked(30_000u + ticket.AgeAdd), state.ResumptionPsk));

        Assert.Equal(Option<ushort>.Some(0), resumed.ServerHello.SelectedPskIdentity);
        Assert.True(Assert.IsType<PeerIdentity>(resumed.Reported!.Peer).IsExternalPsk);
        Assert.Single(resumed.Tickets);
    }

    [Fact]
    public async Task Allowing_psk_ke_lets_a_ticket_resume_without_key_exchange_too()
    {
        using var context = Server(allowPskKe: true);
        var first = await ScriptedClient.RunAsync(context, ScriptedClient.Hello([]));
        var ticket = first.Tickets[0];
        var plaintext = await context.TicketStore.OpenAsync(context.TicketMode, ticket.Ticket);
        var state = Tickets.TicketStore.SessionStateFormat.Decode(plaintext!)!;
        var offer = new Offer(ticket.Ticket.ToArray(), state.ResumptionPsk, HashAlgorithmName.SHA256, External: false, ObfuscatedAge: unchecked(5_000u + ticket.AgeAdd));

        ((ManualTimeProvider)context.TimeProvider).Advance(TimeSpan.FromSeconds(5));
        var resumed = await ScriptedClient.RunAsync(context, Hello([offer], KeOnly, keyExchange: false));

        Assert.Null(resumed.Failure);
        Assert.Equal(Option<ushort>.Some(0), resumed.ServerHello.SelectedPskIdentity);
        Assert.True(resumed.ServerHello.KeyShare.IsNone);
        Assert.Single(resumed.Tickets);
    }

    [Fact]
    public async Task An_external_psk_authenticates_the_client_where_certificates_are_required()
    {
        using var context = Server();
        context.ClientCertificateMode = ClientCertificateMode.Require;

        var run = await ScriptedClient.RunAsync(context, Hello([Known], DheOnly));

        Assert.Null(run.Failure);
        Assert.DoesNotContain(HandshakeType.CertificateRequest, run.ServerFlight);
        Assert.True(Assert.IsType<PeerIdentity>(run.Reported!.Peer).IsExternalPsk);
    }

    [Fact]
    public async Task A_failing_lookup_is_internal_error()
    {
        using var context = new TicketServerContext(TestCertificates.EcdsaP256)
        {
            FindExternalPsk = _ => throw new InvalidOperationException("the PSK database is down"),
        };

        var error = await ScriptedClient.RefusedAsync(context, Hello([Known], DheOnly));

        Assert.Equal(AlertDescription.InternalError, error.Alert);
    }

    [Fact]
    public async Task Identities_past_the_cap_are_not_looked_up()
    {
        var asked = new List<string>();
        using var context = new TicketServerContext(TestCertificates.EcdsaP256)
        {
            FindExternalPsk = identity =>
            {
                lock (asked)
                {
                    asked.Add(Encoding.ASCII.GetString(identity.Span));
                }

                return null;
            },
        };
        var offers = Enumerable.Range(0, 6).Select(i => Known with { Name = Encoding.ASCII.GetBytes($"id{i}") }).ToArray();

        var run = await ScriptedClient.RunAsync(context, Hello(offers, DheOnly));

        Assert.True(run.ServerHello.SelectedPskIdentity.IsNone);
        // Looked up once to choose the suite's hash and once to decide: the first four, each time.
        Assert.Equal(["id0", "id1", "id2", "id3"], asked.Distinct());
    }

    [Fact]
    public async Task The_first_usable_identity_wins_whatever_its_kind()
    {
        using var context = Server();
        var unknownFirst = Known with { Name = "nobody"u8.ToArray() };

        var run = await ScriptedClient.RunAsync(context, Hello([unknownFirst, Known], DheOnly));

        Assert.Equal(Option<ushort>.Some(1), run.ServerHello.SelectedPskIdentity);
    }

    private static string LoggedSecret(string keyLog, string label) =>
        keyLog.Split('\n', StringSplitOptions.TrimEntries).Single(line => line.StartsWith(label + " ", StringComparison.Ordinal)).Split(' ')[2];

    /// <summary>client_handshake_traffic_secret of a SHA-256 psk_ke handshake, from RFC 8446 §7.1 with HKDF alone.</summary>
    private static byte[] PskKeClientHandshakeTrafficSecret(byte[] psk, byte[] clientHello, byte[] serverHello)
    {
        var zeros = new byte[32];
        var early = HKDF.Extract(HashAlgorithmName.SHA256, psk, zeros);
        var derived = ExpandLabel(early, "derived", SHA256.HashData([]));
        var handshake = HKDF.Extract(HashAlgorithmName.SHA256, zeros, derived);
        return ExpandLabel(handshake, "c hs traffic", SHA256.HashData([.. clientHello, .. serverHello]));
    }

    private static byte[] ExpandLabel(byte[] secret, string label, byte[] context)
    {
        var fullLabel = Encoding.ASCII.GetBytes("tls13 " + label);
        byte[] info = [0, 32, (byte)fullLabel.Length, .. fullLabel, (byte)context.Length, .. context];
        return HKDF.Expand(HashAlgorithmName.SHA256, secret, 32, info);
    }
}
