using System.Security.Cryptography;
using LanguageExt;
using Tickets.Core.Model;
using Tickets.Core.Protocol;
using Tickets;
using Tickets.Crypto;
using Tickets.TicketStore;

namespace Tickets.Tests.Engine;

/// <summary>
/// The context's own ticket store in the engine, with hand-made ClientHellos (see <see cref="ScriptedClient"/>): RFC 9149
/// ticket_request on the wire, single-use tickets, stateful tickets, key rotation and key files. Tickets are made by the
/// server's own store (sealed or cached), so only the rule under test decides; the server runs on the real clock.
/// </summary>
[Trait("Category", TestCategory.Unit)]
public class TicketStoreTests
{
    private static SessionState Session(uint lifetime = 7200) => TestSessions.State(
        CipherSuite.TLS_AES_128_GCM_SHA256, RandomNumberGenerator.GetBytes(32), DateTimeOffset.UtcNow.AddSeconds(-5).ToUnixTimeMilliseconds(), lifetime);

    /// <summary>A ticket for <paramref name="state"/> the way the server issues them in its current mode.</summary>
    private static byte[] Issue(TicketServerContext context, SessionState state) => TestSessions.Issue(context, state);

    private static byte[] Offer(byte[] ticket, SessionState state, params Extension[] extra) =>
        ScriptedClient.Hello(extra, ticket, unchecked(5_000u + state.Session.AgeAdd), state.ResumptionPsk);

    private static Extension TicketRequest(byte newSessions, byte resumptions) =>
        new(ExtensionType.TicketRequest, ExtensionBodies.TicketRequest(new TicketRequest(newSessions, resumptions)));

    [Theory]
    [InlineData(3, 8, 3)]
    [InlineData(10, 4, 4)]
    [InlineData(0, 8, 0)]
    [InlineData(1, 8, 1)]
    public async Task A_full_handshake_announces_and_sends_what_the_ticket_request_obtains(byte asked, int max, int expected)
    {
        using var context = new TicketServerContext(TestCertificates.EcdsaP256);
        Assert.True(context.SetMaxTicketRequest(max).IsSucc);

        var run = await ScriptedClient.RunAsync(context, ScriptedClient.Hello([TicketRequest(asked, 1)]));

        Assert.Null(run.Failure);
        Assert.False(run.Resumed);
        Assert.Equal(Option<byte>.Some((byte)expected), run.EncryptedExtensions.ExpectedTicketCount);
        Assert.Equal(expected, run.Tickets.Count);
        Assert.Equal(Enumerable.Range(0, expected).Select(n => (ulong)n), run.Tickets.Select(t => System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(t.Nonce)));
    }

    [Fact]
    public async Task Without_a_ticket_request_nothing_is_announced_and_the_count_stands()
    {
        using var context = new TicketServerContext(TestCertificates.EcdsaP256);
        Assert.True(context.SetNumTickets(3).IsSucc);

        var run = await ScriptedClient.RunAsync(context, ScriptedClient.Hello([]));

        Assert.True(run.EncryptedExtensions.ExpectedTicketCount.IsNone);
        Assert.Equal(3, run.Tickets.Count);
    }

    [Theory]
    [InlineData(true, 3)]
    [InlineData(false, 1)]
    public async Task A_resumption_uses_the_resumption_count_of_the_request(bool request, int expected)
    {
        using var context = new TicketServerContext(TestCertificates.EcdsaP256);
        var state = Session();
        Extension[] extra = request ? [TicketRequest(5, 3)] : [];

        var run = await ScriptedClient.RunAsync(context, Offer(Issue(context, state), state, extra));

        Assert.True(run.Resumed);
        Assert.Equal(request ? Option<byte>.Some((byte)expected) : Option<byte>.None, run.EncryptedExtensions.ExpectedTicketCount);
        Assert.Equal(expected, run.Tickets.Count);
    }

    [Fact]
    public async Task A_count_of_zero_announces_zero_even_when_tickets_are_requested()
    {
        using var context = new TicketServerContext(TestCertificates.EcdsaP256);
        Assert.True(context.SetNumTickets(0).IsSucc);

        var run = await ScriptedClient.RunAsync(context, ScriptedClient.Hello([TicketRequest(4, 4)]));

        Assert.Equal(Option<byte>.Some(0), run.EncryptedExtensions.ExpectedTicketCount);
        Assert.Empty(run.Tickets);
    }

    [Theory]
    [InlineData(TicketMode.Stateless)]
    [InlineData(TicketMode.Stateful)]
    public async Task Single_use_tickets_resume_once(TicketMode mode)
    {
        using var context = new TicketServerContext(TestCertificates.EcdsaP256) { SingleUseTickets = true, TicketMode = mode };
        var state = Session();
        var ticket = Issue(context, state);

        var first = await ScriptedClient.RunAsync(context, Offer(ticket, state));
        var second = await ScriptedClient.RunAsync(context, Offer(ticket, state));

        Assert.True(first.Resumed);
        Assert.False(second.Resumed);
        Assert.Equal(2, second.Tickets.Count);
    }

    [Theory]
    [InlineData(TicketMode.Stateless)]
    [InlineData(TicketMode.Stateful)]
    public async Task Without_single_use_a_ticket_resumes_again(TicketMode mode)
    {
        // OpenSSL 3.0 leaves a stateful TLS 1.3 session in its cache when it resumes (it only removes it for
        // early-data anti-replay), so by default both modes let a ticket resume more than once.
        using var context = new TicketServerContext(TestCertificates.EcdsaP256) { TicketMode = mode };
        var state = Session();
        var ticket = Issue(context, state);

        Assert.True((await ScriptedClient.RunAsync(context, Offer(ticket, state))).Resumed);
        Assert.True((await ScriptedClient.RunAsync(context, Offer(ticket, state))).Resumed);
    }

    [Theory]
    [InlineData(TicketMode.Stateless)]
    [InlineData(TicketMode.Stateful)]
    public async Task A_forged_hello_does_not_burn_a_single_use_ticket(TicketMode mode)
    {
        using var context = new TicketServerContext(TestCertificates.EcdsaP256) { SingleUseTickets = true, TicketMode = mode };
        var state = Session();
        var ticket = Issue(context, state);
        var forged = ScriptedClient.Hello([], ticket, unchecked(5_000u + state.Session.AgeAdd), state.ResumptionPsk, corruptBinder: true);

        var refused = await ScriptedClient.RefusedAsync(context, forged);
        var genuine = await ScriptedClient.RunAsync(context, Offer(ticket, state));

        Assert.Equal(AlertDescription.DecryptError, refused.Alert);
        Assert.True(genuine.Resumed);
    }

    [Fact]
    public async Task Stateful_tickets_are_16_byte_ids_in_the_same_numbers()
    {
        using var context = new TicketServerContext(TestCertificates.EcdsaP256) { TicketMode = TicketMode.Stateful };

        var full = await ScriptedClient.RunAsync(context, ScriptedClient.Hello([]));
        var state = Session();
        var resumed = await ScriptedClient.RunAsync(context, Offer(Issue(context, state), state));

        Assert.Equal(2, full.Tickets.Count);
        Assert.All(full.Tickets, ticket => Assert.Equal(SessionCache.IdLength, ticket.Ticket.Length));
        Assert.True(resumed.Resumed);
        Assert.Equal(SessionCache.IdLength, Assert.Single(resumed.Tickets).Ticket.Length);
        Assert.Equal(4, context.LocalStore().Cache.Count);
    }

    [Fact]
    public async Task A_sealed_ticket_is_not_looked_up_in_stateful_mode()
    {
        using var context = new TicketServerContext(TestCertificates.EcdsaP256);
        var state = Session();
        var sealedTicket = Issue(context, state);
        context.TicketMode = TicketMode.Stateful;

        Assert.False((await ScriptedClient.RunAsync(context, Offer(sealedTicket, state))).Resumed);
    }

    [Fact]
    public async Task An_evicted_stateful_session_gets_a_full_handshake()
    {
        using var context = new TicketServerContext(TestCertificates.EcdsaP256) { TicketMode = TicketMode.Stateful };
        context.LocalStore().SessionCacheSize = 1;
        var first = Session();
        var firstTicket = Issue(context, first);
        var second = Session();
        var secondTicket = Issue(context, second);

        // The second session took the only place; each handshake below also stores its own fresh ticket, so the
        // order matters: the survivor is offered first.
        Assert.True((await ScriptedClient.RunAsync(context, Offer(secondTicket, second))).Resumed);
        Assert.False((await ScriptedClient.RunAsync(context, Offer(firstTicket, first))).Resumed);
    }

    [Fact]
    public async Task After_a_rotation_an_old_ticket_resumes_and_the_new_ticket_uses_the_current_key()
    {
        using var context = new TicketServerContext(TestCertificates.EcdsaP256);
        var state = Session();
        var ticket = Issue(context, state);
        var oldName = context.LocalStore().KeyNames[0];

        context.TicketKeys().Rotate();
        var run = await ScriptedClient.RunAsync(context, Offer(ticket, state));

        Assert.True(run.Resumed);
        var fresh = Assert.Single(run.Tickets).Ticket;
        Assert.Equal(context.LocalStore().KeyNames[0], fresh.Span[..TicketKey.NameLength].ToArray());
        Assert.NotEqual(oldName, fresh[..TicketKey.NameLength]);
        Assert.Equal(oldName, ticket[..TicketKey.NameLength]);
    }

    [Fact]
    public async Task A_tampered_ticket_gets_a_full_handshake()
    {
        using var context = new TicketServerContext(TestCertificates.EcdsaP256);
        var state = Session();
        var ticket = Issue(context, state);
        var tampered = ticket.ToArray();
        tampered[TicketKey.NameLength + TicketKey.IvLength + 3] ^= 0x40;

        Assert.False((await ScriptedClient.RunAsync(context, Offer(tampered, state))).Resumed);
        Assert.True((await ScriptedClient.RunAsync(context, Offer(ticket, state))).Resumed);
    }

    [Fact]
    public async Task A_ticket_past_its_lifetime_gets_a_full_handshake()
    {
        // Issued 5 s ago with a 2 s lifetime; the client claims a 5 s age, consistent with the server's clock.
        using var context = new TicketServerContext(TestCertificates.EcdsaP256);
        var state = Session(lifetime: 2);

        var run = await ScriptedClient.RunAsync(context, Offer(Issue(context, state), state));

        Assert.False(run.Resumed);
        Assert.Equal(2, run.Tickets.Count);
    }

    [Fact]
    public async Task Contexts_sharing_a_key_file_resume_each_others_tickets_and_follow_rewrites()
    {
        var path = Path.Combine(Interop.InteropPaths.NewDirectory("engine-keys"), "fleet.keys");
        TicketKeyFile.Generate(path, count: 1);
        using var issuer = new TicketServerContext(TestCertificates.EcdsaP256);
        using var other = new TicketServerContext(TestCertificates.EcdsaP256);
        using var outsider = new TicketServerContext(TestCertificates.EcdsaP256);
        issuer.LocalStore().UseKeyFile(path);
        other.LocalStore().UseKeyFile(path, pollInterval: TimeSpan.FromMilliseconds(50));
        var state = Session();
        var ticket = Issue(issuer, state);

        Assert.True((await ScriptedClient.RunAsync(other, Offer(ticket, state))).Resumed);
        Assert.False((await ScriptedClient.RunAsync(outsider, Offer(ticket, state))).Resumed);

        // A fleet rotates by rewriting the file: the new key seals, the previous one still opens.
        var before = other.LocalStore().KeyNames[0];
        TicketKeyFile.Rotate(path, keepPrevious: 1);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (other.LocalStore().KeyNames[0].SequenceEqual(before) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.Equal([before], other.LocalStore().KeyNames.Skip(1));
        var afterRotation = await ScriptedClient.RunAsync(other, Offer(ticket, state));
        Assert.True(afterRotation.Resumed);
        Assert.Equal(other.LocalStore().KeyNames[0], Assert.Single(afterRotation.Tickets).Ticket.Span[..TicketKey.NameLength].ToArray());
    }

    [Fact]
    public void A_bad_key_file_is_refused_and_the_keys_in_use_stay()
    {
        var path = Path.Combine(Interop.InteropPaths.NewDirectory("engine-keys"), "bad.keys");
        // Generated first so the file is owner-only; rewriting keeps the mode and leaves only the header wrong.
        TicketKeyFile.Generate(path);
        File.WriteAllText(path, "not a key file\n");
        using var context = new TicketServerContext(TestCertificates.EcdsaP256);
        var names = context.LocalStore().KeyNames;

        var error = Assert.Throws<TicketKeyFileException>(() => context.LocalStore().UseKeyFile(path));

        Assert.Contains("header", error.Message);
        Assert.Equal(names, context.LocalStore().KeyNames);
        Assert.Null(context.LocalStore().KeyFilePath);
    }

    [Fact]
    public void The_rotation_interval_defaults_to_12_hours_and_can_be_changed_or_turned_off()
    {
        using var context = new TicketServerContext(TestCertificates.EcdsaP256);
        Assert.Equal(TimeSpan.FromHours(12), context.LocalStore().RotationInterval);
        Assert.Equal(TimeSpan.FromHours(12), context.TicketKeys().RotationInterval);

        context.LocalStore().RotationInterval = TimeSpan.FromMinutes(5);
        Assert.Equal(TimeSpan.FromMinutes(5), context.TicketKeys().RotationInterval);
        context.LocalStore().RotationInterval = null;
        Assert.Null(context.TicketKeys().RotationInterval);
        Assert.Throws<ArgumentOutOfRangeException>(() => context.LocalStore().RotationInterval = TimeSpan.Zero);
    }

    [Fact]
    public async Task The_own_key_rotates_on_the_interval()
    {
        using var context = new TicketServerContext(TestCertificates.EcdsaP256);
        context.LocalStore().RotationInterval = TimeSpan.FromMilliseconds(200);
        var state = Session();
        var ticket = Issue(context, state);

        await Task.Delay(500);
        var run = await ScriptedClient.RunAsync(context, Offer(ticket, state));

        Assert.True(run.Resumed);
        Assert.NotEqual(ticket[..TicketKey.NameLength], Assert.Single(run.Tickets).Ticket[..TicketKey.NameLength]);
    }
}
