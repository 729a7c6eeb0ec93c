using Microsoft.AspNetCore.Server.Kestrel.Core;
using Tickets.Tests.Interop;
using Tickets.Tests.Interop.Clients;

namespace Tickets.Tests.AspNetCore;

/// <summary>
/// Headless Chromium against Kestrel with <c>UseTickets</c>: one browser process fetching three pages, as in
/// <see cref="ChromiumTests"/>. The pages are written by the endpoint from the connection's features, so they say
/// which HTTP version, ALPN protocol and connection served each fetch, and the tickets that connection got.
/// </summary>
[Trait("Category", TestCategory.Browser)]
public sealed class KestrelChromiumTests
{
    private static readonly string[] Paths = ["/a", "/b", "/c"];

    private static void ThreeTickets(TicketServerOptions options)
    {
        options.ServerCertificate = KestrelTicketsApp.Certificate();
        options.NumTickets = 3;
    }

    [Fact]
    public async Task Chromium_negotiates_h2_and_fetches_every_page_over_one_connection()
    {
        await using var app = await KestrelTicketsApp.StartAsync(ThreeTickets);

        var fetched = await Chromium.FetchInOneBrowserAsync(app.Port, Paths);

        Assert.All(fetched, page =>
        {
            Assert.Equal("HTTP/2", HttpPage.Field(page.Page, "HTTP"));
            Assert.Equal("h2", HttpPage.Field(page.Page, "ALPN"));
            Assert.Equal("Tls13", HttpPage.Field(page.Page, "Protocol"));
            // Chromium sends no server name for an IP address.
            Assert.Equal("(none)", HttpPage.Field(page.Page, "Host name"));
            Assert.Equal(3, HttpPage.TicketsIssued(page.Page));
            Assert.False(HttpPage.SaysResumed(page.Page));
        });
        // HTTP/2 multiplexes: the browser kept its one connection for all three.
        Assert.Single(fetched.Select(page => HttpPage.Field(page.Page, "Connection")).Distinct());
        app.AssertNoErrors();
    }

    [Fact]
    public async Task Over_http1_with_connection_close_Chromium_resumes_each_next_connection_with_one_ticket()
    {
        await using var app = await KestrelTicketsApp.StartAsync(ThreeTickets, HttpProtocols.Http1, closeAfterResponse: true);

        var fetched = await Chromium.FetchInOneBrowserAsync(app.Port, Paths);

        Assert.All(fetched, page => Assert.Equal("http/1.1", HttpPage.Field(page.Page, "ALPN")));
        // A new TLS connection per page (the server closed each): a full handshake with 3 tickets, then resumptions
        // with one each, as OpenSSL 3.0 issues them.
        Assert.Equal(3, fetched.Select(page => HttpPage.Field(page.Page, "Connection")).Distinct().Count());
        Assert.Equal([3, 1, 1], fetched.Select(page => HttpPage.TicketsIssued(page.Page)));
        Assert.Equal([false, true, true], fetched.Select(page => HttpPage.SaysResumed(page.Page)));
        app.AssertNoErrors();
    }
}
