using System.Net.Sockets;
using System.Security.Cryptography;
using LanguageExt;
using Tickets.Core;
using Tickets.Core.Negotiation;
using Tickets.Core.Protocol;
using Tickets.Tests.Engine;
using Tickets.Tests.Protocol;

namespace Tickets.Tests.Hardening;

/// <summary>
/// Findings 6, 7 and 12, on the ClientHello: what the hello answering a HelloRetryRequest may change (RFC 8446 §4.1.2),
/// the legacy_version floor (Appendix D.5, as OpenSSL 3.0 applies it), and checks that cost linear time however many
/// groups and shares a hostile hello lists.
/// </summary>
[Trait("Category", TestCategory.Unit)]
public sealed class ClientHelloRuleTests
{
    private static readonly ServerPreferences Server = ServerPreferences.For([SignatureScheme.ecdsa_secp256r1_sha256]);

    private static ClientHello Fixture() => FinAssert.Succeeds(ClientHelloCodec.Parse(TestData.FixtureHandshake("openssl-s_client")));

    private static byte[] Edited(ClientHello hello, Func<IReadOnlyList<Extension>, IEnumerable<Extension>> edit) =>
        ClientHelloCodec.Encode(hello with { Extensions = edit(hello.Extensions).ToEquatableArray() });

    private static IEnumerable<Extension> Replace(IEnumerable<Extension> extensions, ExtensionType type, Bytes data) =>
        extensions.Select(e => e.Type == type ? new Extension(type, data) : e);

    // ---- finding 7: legacy_version ----

    [Theory]
    [InlineData(0x0300)]
    [InlineData(0x0200)]
    [InlineData(0x0000)]
    public async Task Legacy_version_ssl3_or_older_is_protocol_version(int version)
    {
        var hello = ClientHelloCodec.Encode(Fixture() with { LegacyVersion = (ushort)version });
        using var context = new TicketServerContext(TestCertificates.EcdsaP256);
        var refused = await ScriptedClient.RefusedAsync(context, hello);
        Assert.Equal(AlertDescription.ProtocolVersion, refused.Alert);
    }

    [Theory]
    [InlineData(0x0301)]
    [InlineData(0x0302)]
    [InlineData(0x0303)]
    public void Legacy_versions_openssl_tolerates_still_negotiate(int version)
    {
        // OpenSSL 3.0 s_server answers 0x0301 and 0x0302 with a ServerHello (measured), and refuses 0x0300 and below.
        FinAssert.Succeeds(Negotiator.Negotiate(Fixture() with { LegacyVersion = (ushort)version }, Server));
    }

    // ---- finding 6: the second ClientHello ----

    /// <summary>A first hello with no usable share (so the server asks for x25519) and its faithful answer.</summary>
    private static (byte[] First, byte[] Second) RetryPair(Func<IEnumerable<Extension>, IEnumerable<Extension>>? change = null)
    {
        var fixture = Fixture();
        var first = Edited(fixture, extensions => Replace(extensions, ExtensionType.KeyShare, ExtensionBodies.KeyShareOffered([])));
        var second = Edited(fixture, extensions =>
        {
            var answered = Replace(extensions, ExtensionType.KeyShare,
                ExtensionBodies.KeyShareOffered([new KeyShareEntry(NamedGroup.x25519, RandomNumberGenerator.GetBytes(32))]));
            return change is null ? answered : change(answered);
        });
        return (first, second);
    }

    public static TheoryData<string> IllegalChanges => new() { "server_name", "alpn", "signature_algorithms", "supported_versions", "dropped", "added" };

    private static IEnumerable<Extension> Change(IEnumerable<Extension> extensions, string what) => what switch
    {
        "server_name" => extensions.Where(e => e.Type != ExtensionType.ServerName)
            .Prepend(new Extension(ExtensionType.ServerName, ExtensionBodies.ServerNameOffered("victim.example"))),
        "alpn" => extensions.Where(e => e.Type != ExtensionType.ApplicationLayerProtocolNegotiation)
            .Prepend(new Extension(ExtensionType.ApplicationLayerProtocolNegotiation, ExtensionBodies.Alpn(["h2"]))),
        "signature_algorithms" => Replace(extensions, ExtensionType.SignatureAlgorithms,
            ExtensionBodies.SignatureAlgorithms([SignatureScheme.ecdsa_secp256r1_sha256])),
        "supported_versions" => Replace(extensions, ExtensionType.SupportedVersions,
            ExtensionBodies.SupportedVersionsOffered([ProtocolVersion.Tls13, 0x0303])),
        "dropped" => extensions.Where(e => e.Type != ExtensionType.PostHandshakeAuth && e.Type != ExtensionType.EcPointFormats),
        "added" => extensions.Prepend(new Extension((ExtensionType)0x7a7a, [])),
        _ => throw new ArgumentOutOfRangeException(nameof(what)),
    };

    [Theory]
    [MemberData(nameof(IllegalChanges))]
    public async Task A_second_hello_that_changes_more_than_4_1_2_allows_gets_illegal_parameter(string what)
    {
        var (first, second) = RetryPair(extensions => Change(extensions, what));
        var answer = await RetryAsync(first, second);
        Assert.Equal((ContentType.Alert, AlertDescription.IllegalParameter), answer);
    }

    [Fact]
    public async Task A_second_hello_that_changes_only_the_key_share_and_padding_is_answered()
    {
        var (first, second) = RetryPair(extensions => extensions
            .Concat([new Extension(ExtensionType.Padding, new byte[100])])
            .OrderBy(e => e.Type == ExtensionType.SupportedGroups ? 0 : 1)); // reordering changes nothing either
        var answer = await RetryAsync(first, second);
        Assert.Equal(ContentType.Handshake, answer.Type);
    }

    /// <summary>
    /// Sends <paramref name="first"/>, reads the HelloRetryRequest (and the compatibility change_cipher_spec), sends
    /// <paramref name="second"/>, and returns what came next: a handshake record (ServerHello) or an alert.
    /// </summary>
    private static async Task<(ContentType Type, AlertDescription? Alert)> RetryAsync(byte[] first, byte[] second)
    {
        using var context = new TicketServerContext(TestCertificates.EcdsaP256);
        using var pair = await SocketPair.CreateAsync();
        await using var connection = context.CreateConnection(pair.Server);
        var handshake = connection.HandshakeAsync();
        await pair.Client.SendAsync(ScriptedClient.Record(ContentType.Handshake, first), SocketFlags.None);

        var (type, retry) = await ScriptedClient.ReadRecordAsync(pair.Client);
        Assert.Equal(ContentType.Handshake, type);
        Assert.Equal(NamedGroup.x25519, FinAssert.Succeeds(HelloRetryRequestCodec.Decode(retry)).SelectedGroup);
        await pair.Client.SendAsync(ScriptedClient.Record(ContentType.Handshake, second), SocketFlags.None);

        var (next, content) = await ScriptedClient.ReadRecordAsync(pair.Client);
        if (next == ContentType.ChangeCipherSpec)
        {
            (next, content) = await ScriptedClient.ReadRecordAsync(pair.Client);
        }

        try
        {
            await handshake.WaitAsync(TimeSpan.FromMilliseconds(10));
        }
        catch (Exception error) when (error is TlsHandshakeException or TimeoutException)
        {
            // The outcome is read from the wire; the handshake either failed or waits for our Finished.
        }

        return next == ContentType.Alert ? (next, (AlertDescription)content[1]) : (next, null);
    }

    // ---- finding 12: linear checks ----

    [Fact]
    public void Key_share_and_group_checks_read_each_list_a_linear_number_of_times()
    {
        // 2000 groups and 2000 shares for distinct unknown groups: §4.2.8's checks used to scan supported_groups once
        // per share (4 000 000 reads); a set built once answers each share in constant time. The negotiator makes both
        // checks through CodePointSet, which reads every value once, through the selector counted here.
        const int count = 2000;
        var groups = Enumerable.Range(0x2000, count).Select(code => (NamedGroup)code).Append(NamedGroup.x25519).ToArray();
        var shares = Enumerable.Range(0x2000, count).Select(code => new KeyShareEntry((NamedGroup)code, [1]))
            .Append(new KeyShareEntry(NamedGroup.x25519, new byte[32])).ToArray();
        var reads = 0;

        var listed = CodePointSet.Of<NamedGroup>(groups, group => { reads++; return (ushort)group; });
        var repeat = CodePointSet.FirstRepeat<KeyShareEntry>(shares, share => { reads++; return (ushort)share.Group; });
        var unlisted = shares.Count(share => !listed.Contains((ushort)share.Group));

        Assert.Null(repeat);
        Assert.Equal(0, unlisted);
        Assert.Equal(groups.Length + shares.Length, reads);
        var result = FinAssert.Succeeds(Negotiator.Negotiate(Fixture() with { SupportedGroups = groups, KeyShares = shares }, Server));
        Assert.Equal(NamedGroup.x25519, result.Group);
    }

    [Fact]
    public void A_group_offered_twice_in_key_share_is_still_illegal_parameter()
    {
        var shares = new[] { new KeyShareEntry(NamedGroup.x25519, new byte[32]), new KeyShareEntry(NamedGroup.x25519, new byte[32]) };
        FinAssert.FailsWith(AlertDescription.IllegalParameter, Negotiator.Negotiate(Fixture() with { KeyShares = shares }, Server));
    }
}
