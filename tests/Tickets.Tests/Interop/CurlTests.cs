using Tickets.Tests.Interop.Clients;

namespace Tickets.Tests.Interop;

/// <summary>curl and openssl s_time against --www: the page a person would see, and a load of short connections.</summary>
[Trait("Category", TestCategory.Interop)]
public sealed class CurlTests
{
    [Fact]
    public async Task Curl_fetches_a_page_describing_the_connection()
    {
        await using var server = await TicketsServer.StartAsync(["--port", "0", "--www"]);

        var result = await Curl.FetchAsync(server.Port);

        var page = result.StandardOutput;
        Assert.StartsWith("HTTP/1.0 200 OK", page, StringComparison.Ordinal);
        Assert.Contains("Content-Type: text/plain", page, StringComparison.OrdinalIgnoreCase);
        var logged = await server.NextConnectionAsync();
        Assert.Equal("TLSv1.3", HttpPage.Field(page, "Protocol"));
        Assert.Equal(logged.CipherSuite, HttpPage.Field(page, "Cipher suite"));
        Assert.Equal(logged.Group, HttpPage.Field(page, "Group"));
        Assert.Equal("localhost", HttpPage.Field(page, "SNI"));
        Assert.Equal("no", HttpPage.Field(page, "Session resumed"));
        Assert.Equal("2", HttpPage.Field(page, "Tickets issued on this connection"));
        Assert.False(string.IsNullOrEmpty(HttpPage.Field(page, "Signature scheme")));
        Assert.NotEqual("h2", HttpPage.Field(page, "ALPN"));
        Assert.Equal(2, logged.Tickets);
        Assert.False(logged.Resumed);
    }

    [Fact]
    public async Task Openssl_s_time_completes_new_and_resumed_connections()
    {
        await using var server = await TicketsServer.StartAsync(["--port", "0", "--www", "--quiet"]);
        var target = $"127.0.0.1:{server.Port}";

        // s_time prints '*' per new connection and 'r' per resumed one, then "N connections in T real seconds".
        var fresh = await ExternalProgram.RunAsync("openssl", ["s_time", "-connect", target, "-www", "/", "-new", "-time", "1"], timeout: TimeSpan.FromSeconds(30));
        Assert.True(fresh.ExitCode == 0, fresh.Describe());
        Assert.Matches(@"[1-9]\d* connections in", fresh.StandardOutput);
        Assert.Contains("*", fresh.StandardOutput, StringComparison.Ordinal);

        var reused = await ExternalProgram.RunAsync("openssl", ["s_time", "-connect", target, "-www", "/", "-reuse", "-time", "1"], timeout: TimeSpan.FromSeconds(30));
        Assert.True(reused.ExitCode == 0, reused.Describe());
        Assert.Matches(@"[1-9]\d* connections in", reused.StandardOutput);
        Assert.Matches("rrr", reused.StandardOutput);
    }
}
