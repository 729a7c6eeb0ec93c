using System.Security.Cryptography.X509Certificates;
using Tickets.Tests.Interop;
using Tickets.Tests.Interop.Clients;
using Tickets.Tests.Interop.PostHandshake;

namespace Tickets.Tests.AspNetCore;

/// <summary>
/// Client certificates under Kestrel: asked for in the handshake (<see cref="TicketServerOptions.ClientCertificateMode"/>)
/// or afterwards by an endpoint through <see cref="Tickets.AspNetCore.ITicketsConnectionFeature"/> (post-handshake
/// authentication), and seen by the endpoint as <c>HttpContext.Connection.ClientCertificate</c> (ITlsConnectionFeature).
/// </summary>
[Trait("Category", TestCategory.Interop)]
public sealed class KestrelClientCertificateTests
{
    private static readonly ClientCertificateFiles Files = ClientCertificateFiles.Instance;

    private static void WithClientCa(TicketServerOptions options, ClientCertificateMode mode)
    {
        options.ServerCertificate = KestrelTicketsApp.Certificate();
        options.NumTickets = 3;
        options.ClientCertificateMode = mode;
        options.ClientCertificateAuthorities = [X509Certificate2.CreateFromPem(File.ReadAllText(Files.CaPem))];
    }

    [Fact]
    public async Task A_certificate_required_in_the_handshake_reaches_the_endpoint_and_survives_resumption()
    {
        await using var app = await KestrelTicketsApp.StartAsync(options => WithClientCa(options, ClientCertificateMode.Require));

        var runs = await OpenSslClient.ChainAsync(app.Port, connections: 2, extraArguments: ["-cert", Files.ClientPem, "-key", Files.ClientKeyPem]);

        Assert.Equal([new ClientConnection(3, false), new ClientConnection(1, true)], runs.Select(run => run.Connection));
        // The resumed connection has no Certificate message: its identity came back from the ticket.
        Assert.All(runs, run => Assert.Equal(ClientCertificateFiles.ClientSubject, HttpPage.Field(run.Page, "Client certificate")));
        app.AssertNoErrors();
    }

    [Fact]
    public async Task An_endpoint_asks_for_a_certificate_after_the_handshake_and_the_client_gets_a_new_flight_of_tickets()
    {
        await using var app = await KestrelTicketsApp.StartAsync(options => WithClientCa(options, ClientCertificateMode.None));

        var runs = await OpenSslClient.ChainAsync(
            app.Port,
            connections: 1,
            request: "GET /authenticate HTTP/1.0\r\n\r\n",
            extraArguments: ["-enable_pha", "-cert", Files.ClientPem, "-key", Files.ClientKeyPem]);

        // No certificate in the handshake, then the endpoint's request: the page shows the proven certificate, and the
        // completed authentication issued the count again (3 + 3), as OpenSSL does.
        Assert.Equal(ClientCertificateFiles.ClientSubject, HttpPage.Field(runs[0].Page, "Client certificate"));
        Assert.Equal(new ClientConnection(6, false), runs[0].Connection);
        Assert.Equal(6, HttpPage.TicketsIssued(runs[0].Page));
        Assert.Contains("CertificateRequest", runs[0].Output.StandardOutput, StringComparison.Ordinal);
        app.AssertNoErrors();
    }
}
