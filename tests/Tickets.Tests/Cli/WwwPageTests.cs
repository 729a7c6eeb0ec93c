using System.Text;
using Tickets.Cli;

namespace Tickets.Tests.Cli;

[Trait("Category", TestCategory.Unit)]
public sealed class WwwPageTests
{
    private static readonly ConnectionReport Full = new(7, "127.0.0.1:5000", false, "TLS_AES_128_GCM_SHA256", "x25519", "ecdsa_secp256r1_sha256", "localhost", "http/1.1", 2);

    [Fact]
    public void The_page_lists_what_the_connection_negotiated()
    {
        var body = WwwPage.Body(Full);
        Assert.Contains("Protocol: TLSv1.3\n", body, StringComparison.Ordinal);
        Assert.Contains("Cipher suite: TLS_AES_128_GCM_SHA256\n", body, StringComparison.Ordinal);
        Assert.Contains("Group: x25519\n", body, StringComparison.Ordinal);
        Assert.Contains("Signature scheme: ecdsa_secp256r1_sha256\n", body, StringComparison.Ordinal);
        Assert.Contains("SNI: localhost\n", body, StringComparison.Ordinal);
        Assert.Contains("ALPN: http/1.1\n", body, StringComparison.Ordinal);
        Assert.Contains("Session resumed: no\n", body, StringComparison.Ordinal);
        Assert.Contains("Tickets issued on this connection: 2\n", body, StringComparison.Ordinal);
    }

    [Fact]
    public void A_resumed_connection_says_so_and_shows_no_signature()
    {
        var body = WwwPage.Body(Full with { Resumed = true, SignatureScheme = "none", ServerName = null, ApplicationProtocol = null, TicketsIssued = 1 });
        Assert.Contains("Session resumed: yes\n", body, StringComparison.Ordinal);
        Assert.Contains("Signature scheme: none", body, StringComparison.Ordinal);
        Assert.Contains("SNI: (none)\n", body, StringComparison.Ordinal);
        Assert.Contains("ALPN: (none)\n", body, StringComparison.Ordinal);
        Assert.Contains("Tickets issued on this connection: 1\n", body, StringComparison.Ordinal);
    }

    [Fact]
    public void The_response_is_http_1_0_with_an_exact_content_length()
    {
        var response = Encoding.UTF8.GetString(WwwPage.Ok(Full));
        Assert.StartsWith("HTTP/1.0 200 OK\r\n", response, StringComparison.Ordinal);
        var split = response.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var body = response[(split + 4)..];
        Assert.Contains($"Content-Length: {Encoding.UTF8.GetByteCount(body)}\r\n", response[..split], StringComparison.Ordinal);
        Assert.Equal(WwwPage.Body(Full), body);
    }

    [Fact]
    public void The_log_line_has_the_documented_shape() =>
        Assert.Equal("conn 7 127.0.0.1:5000 full TLS_AES_128_GCM_SHA256 x25519 tickets=2", Full.LogLine());

    [Fact]
    public void A_resumed_log_line_says_resumed() =>
        Assert.Equal("conn 7 127.0.0.1:5000 resumed TLS_AES_128_GCM_SHA256 x25519 tickets=1", (Full with { Resumed = true, TicketsIssued = 1 }).LogLine());
}
