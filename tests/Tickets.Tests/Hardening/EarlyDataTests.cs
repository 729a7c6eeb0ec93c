using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Tickets.Core;
using Tickets.Core.Protocol;
using Tickets.Crypto;
using Tickets.Tests.Engine;
using Tickets.Tests.Protocol;

namespace Tickets.Tests.Hardening;

/// <summary>
/// Finding 8: early data the server does not accept must be skipped (RFC 8446 §4.2.10), within a limit, not fail the
/// connection. Our tickets never allow early data, so openssl s_client (which sends it only when its ticket says
/// max_early_data) never sends any to us; a client holding another server's ticket does. The scripted client here
/// offers such a ticket (the server cannot open it, so the handshake is a full one), with early_data, and sends
/// application data protected with the early traffic key of that ticket's PSK right behind its ClientHello, exactly as
/// a resuming client does.
/// </summary>
[Trait("Category", TestCategory.Unit)]
public sealed class EarlyDataTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    /// <summary>A ClientHello offering early_data with a ticket this server cannot open, and the early records after it.</summary>
    private static (byte[] Hello, byte[] EarlyRecords) HelloWithEarlyData(IEnumerable<int> recordSizes, Func<IEnumerable<Extension>, IEnumerable<Extension>>? edit = null)
    {
        var psk = RandomNumberGenerator.GetBytes(32);
        var hello = ScriptedClient.Hello([new Extension(ExtensionType.EarlyData, [])], ticket: RandomNumberGenerator.GetBytes(120), obfuscatedAge: 1234, psk: psk);
        if (edit is not null)
        {
            var parsed = FinAssert.Succeeds(ClientHelloCodec.Parse(hello));
            hello = ClientHelloCodec.Encode(parsed with { Extensions = edit(parsed.Extensions).ToEquatableArray() });
        }

        using var early = new SecretChain(HashAlgorithmName.SHA256, psk);
        using var sealer = RecordSealer.FromSecret(CipherSuiteParameters.Aes128GcmSha256, early.ClientEarlyTrafficSecret(SHA256.HashData(hello)));
        var records = recordSizes.SelectMany(size => ScriptedSession.Sealed(sealer, ContentType.ApplicationData, new byte[size])).ToArray();
        return (hello, records);
    }

    [Fact]
    public async Task Early_data_the_server_declines_is_skipped_and_the_handshake_completes()
    {
        var (hello, earlyRecords) = HelloWithEarlyData([100, 2000, 5]);
        using var context = new TicketServerContext(TestCertificates.EcdsaP256);
        await using var session = await ScriptedSession.ConnectAsync(context, hello, afterHello: earlyRecords);
        await session.Handshake.WaitAsync(Patience);
        Assert.False(session.Connection.Resumed);

        // And the connection works: data after the handshake reads normally.
        await session.SendAsync(ContentType.ApplicationData, "after"u8);
        var buffer = new byte[16];
        var read = await session.Connection.ReadAsync(buffer).AsTask().WaitAsync(Patience);
        Assert.Equal("after", Encoding.ASCII.GetString(buffer, 0, read));
    }

    [Theory]
    [InlineData(16384, false)]
    [InlineData(16385, true)]
    public async Task At_most_16384_bytes_of_early_data_are_skipped(int bytes, bool refused)
    {
        var (hello, earlyRecords) = HelloWithEarlyData([bytes / 2, bytes - (bytes / 2)]);
        using var context = new TicketServerContext(TestCertificates.EcdsaP256);
        Assert.Equal(16384, context.EarlyDataSkipLimit);
        await using var session = await ScriptedSession.ConnectAsync(context, hello, afterHello: earlyRecords);
        if (refused)
        {
            var failure = await Assert.ThrowsAsync<TlsHandshakeException>(() => session.Handshake.WaitAsync(Patience));
            Assert.Equal(AlertDescription.UnexpectedMessage, failure.Alert);
        }
        else
        {
            await session.Handshake.WaitAsync(Patience);
        }
    }

    [Fact]
    public async Task Without_early_data_offered_a_record_that_fails_to_open_is_still_bad_record_mac()
    {
        var (hello, earlyRecords) = HelloWithEarlyData([100], edit: extensions => extensions.Where(e => e.Type != ExtensionType.EarlyData));
        using var context = new TicketServerContext(TestCertificates.EcdsaP256);
        await using var session = await ScriptedSession.ConnectAsync(context, hello, afterHello: earlyRecords);
        var failure = await Assert.ThrowsAsync<TlsHandshakeException>(() => session.Handshake.WaitAsync(Patience));
        Assert.Equal(AlertDescription.BadRecordMac, failure.Alert);
    }

    [Fact]
    public async Task After_a_HelloRetryRequest_early_data_is_skipped_until_the_second_client_hello()
    {
        // An empty key_share makes the server ask for x25519; the early records follow the first hello, as sent.
        var (first, earlyRecords) = HelloWithEarlyData([300, 300],
            extensions => extensions.Select(e => e.Type == ExtensionType.KeyShare ? new Extension(e.Type, ExtensionBodies.KeyShareOffered([])) : e));
        var parsed = FinAssert.Succeeds(ClientHelloCodec.Parse(first));
        var second = ClientHelloCodec.Encode(parsed with
        {
            // §4.1.2: one share for the requested group, early_data removed; the PSK stays (its binder is not checked:
            // the ticket does not open).
            Extensions = parsed.Extensions.Where(e => e.Type != ExtensionType.EarlyData).Select(e => e.Type == ExtensionType.KeyShare
                ? new Extension(e.Type, ExtensionBodies.KeyShareOffered([new KeyShareEntry(NamedGroup.x25519, RandomNumberGenerator.GetBytes(32))]))
                : e).ToEquatableArray(),
        });

        using var context = new TicketServerContext(TestCertificates.EcdsaP256);
        using var pair = await SocketPair.CreateAsync();
        await using var connection = context.CreateConnection(pair.Server);
        var handshake = connection.HandshakeAsync();
        byte[] firstFlight = [.. ScriptedClient.Record(ContentType.Handshake, first), .. earlyRecords];
        await pair.Client.SendAsync(firstFlight, SocketFlags.None);
        var (type, retry) = await ScriptedClient.ReadRecordAsync(pair.Client);
        Assert.Equal(ContentType.Handshake, type);
        Assert.True(FinAssert.Succeeds(HelloRetryRequestCodec.Decode(retry)).SelectedGroup == NamedGroup.x25519);

        await pair.Client.SendAsync(ScriptedClient.Record(ContentType.Handshake, second), SocketFlags.None);
        var (next, content) = await ScriptedClient.ReadRecordAsync(pair.Client);
        while (next == ContentType.ChangeCipherSpec)
        {
            (next, content) = await ScriptedClient.ReadRecordAsync(pair.Client);
        }

        // A ServerHello, not an alert: the early records were skipped.
        Assert.Equal(ContentType.Handshake, next);
        Assert.Equal((byte)HandshakeType.ServerHello, content[0]);
        Assert.False(handshake.IsFaulted);
    }
}
