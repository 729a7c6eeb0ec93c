using System.Net.Sockets;
using System.Security.Cryptography;
using LanguageExt;
using Tickets.Core.Model;
using Tickets.Core.Protocol;
using Tickets;
using Tickets.Crypto;
using Tickets.TicketStore;
using Tickets.Tests.Protocol;

namespace Tickets.Tests.Engine;

/// <summary>
/// Resumption decisions with hand-made ClientHellos: openssl's real ClientHello plus a pre_shared_key
/// carrying a ticket sealed by the server's own key, so each rule (binder, lifetime, client age, hash,
/// unknown ticket) can be hit on its own. The server's ServerHello shows whether it resumed.
/// </summary>
[Trait("Category", TestCategory.Unit)]
public class PskResumptionTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(1_764_000_000_000);

    /// <summary>A server whose clock stands still at <see cref="Now"/>, so ticket ages are exact.</summary>
    private static TicketServerContext AtNow() => new(TestCertificates.EcdsaP256, timeProvider: new ManualTimeProvider(Now));

    private static SessionState Session(long issuedAt, CipherSuite suite = CipherSuite.TLS_AES_128_GCM_SHA256) => TestSessions.State(
        suite, RandomNumberGenerator.GetBytes(suite == CipherSuite.TLS_AES_256_GCM_SHA384 ? 48 : 32), issuedAt);

    /// <summary>openssl's ClientHello with a pre_shared_key for <paramref name="ticket"/> appended (it must be last).</summary>
    private static byte[] HelloWithTicket(byte[] ticket, uint obfuscatedAge, byte[] psk, bool corruptBinder = false)
    {
        var template = Succeeded(ClientHelloCodec.Parse(TestData.FixtureHandshake("openssl-s_client")));
        byte[] Encode(byte[] binder) => ClientHelloCodec.Encode(template with
        {
            Extensions = [.. template.Extensions, new Extension(
                ExtensionType.PreSharedKey,
                ExtensionBodies.PreSharedKeyOffered([new PskIdentity(ticket, obfuscatedAge)], [binder]))],
        });

        // The binder covers the message up to the binders list, so a placeholder of the right size fixes the offset.
        var draft = Encode(new byte[32]);
        var offset = Succeeded(ClientHelloCodec.Parse(draft)).PreSharedKey.Match(p => p.BindersOffset, () => -1);
        using var early = new SecretChain(HashAlgorithmName.SHA256, psk);
        var binder = KeySchedule.FinishedVerifyData(
            HashAlgorithmName.SHA256, early.ResumptionBinderKey(), SHA256.HashData(draft.AsSpan(0, offset)));
        if (corruptBinder)
        {
            binder[0] ^= 1;
        }

        return Encode(binder);
    }

    private static T Succeeded<T>(Fin<T> result) => result.Match(value => value, error => throw new InvalidOperationException(error.Message));

    /// <summary>Sends the ClientHello; returns the ServerHello, or the handshake failure when there is none.</summary>
    private static async Task<(ServerHello? Hello, TlsHandshakeException? Error)> Offer(
        TicketServerContext context, byte[] clientHello)
    {
        using var pair = await SocketPair.CreateAsync();
        await using var connection = context.CreateConnection(pair.Server);
        var handshake = connection.HandshakeAsync();
        byte[] record = [22, 3, 1, (byte)(clientHello.Length >> 8), (byte)clientHello.Length, .. clientHello];
        await pair.Client.SendAsync(record, SocketFlags.None);

        var header = new byte[5];
        var read = await pair.Client.ReceiveAsync(header, SocketFlags.None);
        ServerHello? hello = null;
        if (read == 5 && header[0] == 22)
        {
            var body = new byte[(header[3] << 8) | header[4]];
            var filled = 0;
            while (filled < body.Length)
            {
                filled += await pair.Client.ReceiveAsync(body.AsMemory(filled), SocketFlags.None);
            }

            hello = Succeeded(ServerHelloCodec.Decode(body));
        }

        pair.Client.Shutdown(SocketShutdown.Both);
        var error = await Assert.ThrowsAsync<TlsHandshakeException>(() => handshake);
        return (hello, error.SentByPeer ? null : error);
    }

    private static byte[] Seal(TicketServerContext context, SessionState state) =>
        context.TicketKeys().Seal(SessionStateFormat.Encode(state), context.TicketKeys().Retention);

    private static uint Obfuscated(SessionState state, long ageMilliseconds) => unchecked((uint)ageMilliseconds + state.Session.AgeAdd);

    [Fact]
    public async Task Fresh_ticket_with_a_valid_binder_resumes()
    {
        using var context = AtNow();
        var state = Session(Now.ToUnixTimeMilliseconds() - 5_000);
        var (hello, error) = await Offer(context, HelloWithTicket(Seal(context, state), Obfuscated(state, 5_000), state.ResumptionPsk));
        Assert.Null(error);
        Assert.NotNull(hello);
        Assert.Equal(Option<ushort>.Some(0), hello.SelectedPskIdentity);
    }

    [Fact]
    public async Task Wrong_binder_is_decrypt_error()
    {
        using var context = AtNow();
        var state = Session(Now.ToUnixTimeMilliseconds() - 5_000);
        var (hello, error) = await Offer(
            context, HelloWithTicket(Seal(context, state), Obfuscated(state, 5_000), state.ResumptionPsk, corruptBinder: true));
        Assert.Null(hello);
        Assert.NotNull(error);
        Assert.Equal(AlertDescription.DecryptError, error.Alert);
    }

    public static TheoryData<string> Unusable => ["expired", "client age off", "other hash", "unknown key", "issued in the future"];

    [Theory]
    [MemberData(nameof(Unusable))]
    public async Task Unusable_ticket_gets_a_full_handshake(string why)
    {
        using var context = AtNow();
        using var other = AtNow();
        var now = Now.ToUnixTimeMilliseconds();
        var (state, age, sealer) = why switch
        {
            "expired" => (Session(now - 7_201_000), 7_201_000L, context),
            "client age off" => (Session(now - 5_000), 60_000L, context),
            "other hash" => (Session(now - 5_000, CipherSuite.TLS_AES_256_GCM_SHA384), 5_000L, context),
            "unknown key" => (Session(now - 5_000), 5_000L, other),
            _ => (Session(now + 60_000), 0L, context),
        };

        // The binder is right for the PSK inside: only the rule under test can refuse it.
        var (hello, error) = await Offer(context, HelloWithTicket(Seal(sealer, state), Obfuscated(state, age), state.ResumptionPsk));
        Assert.Null(error);
        Assert.NotNull(hello);
        Assert.True(hello.SelectedPskIdentity.IsNone);
    }
}
