using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Tickets.Core.Model;
using Tickets.Core.Protocol;
using Tickets.Tests.Engine;

namespace Tickets.Tests.ServerApi;

/// <summary>
/// <see cref="TicketServerOptions"/> is checked once, when a context or server is built from it, and each failure names
/// the property at fault; valid options land on the context's OpenSSL-style settings and are not read again.
/// </summary>
[Trait("Category", TestCategory.Unit)]
public sealed class ServerOptionsTests
{
    private static TicketServerOptions Valid() => new() { ServerCertificate = TestCertificates.EcdsaP256 };

    private static TException Refused<TException>(TicketServerOptions options)
        where TException : Exception
    {
        // Both ways of building from options check them: the context, and the server (before it binds anything).
        var fromContext = Assert.Throws<TException>(() => new TicketServerContext(options));
        var fromServer = Assert.Throws<TException>(() => new TicketServer(new IPEndPoint(IPAddress.Loopback, 0), options));
        Assert.Equal(fromContext.Message, fromServer.Message);
        return fromContext;
    }

    [Fact]
    public void A_certificate_source_is_required()
    {
        var error = Refused<InvalidOperationException>(new TicketServerOptions());
        Assert.Contains("ServerCertificate", error.Message);
        Assert.Contains("ServerCertificateSelectionCallback", error.Message);
    }

    [Fact]
    public void Only_one_certificate_source_may_be_set()
    {
        var options = Valid();
        options.ServerCertificateSelectionCallback = (_, _) => null;
        Assert.Contains("only one", Refused<InvalidOperationException>(options).Message);
    }

    [Fact]
    public void A_certificate_without_its_private_key_is_refused()
    {
        using var publicOnly = X509CertificateLoader.LoadCertificate(TestCertificates.EcdsaP256.RawData);
        var error = Refused<ArgumentException>(new TicketServerOptions { ServerCertificate = publicOnly });
        Assert.Equal(nameof(TicketServerOptions.ServerCertificate), error.ParamName);
    }

    public static TheoryData<string, Action<TicketServerOptions>> OutOfRange => new()
    {
        { nameof(TicketServerOptions.NumTickets), options => options.NumTickets = -1 },
        { nameof(TicketServerOptions.MaxTicketRequest), options => options.MaxTicketRequest = -1 },
        { nameof(TicketServerOptions.SessionTimeout), options => options.SessionTimeout = TimeSpan.FromSeconds(-1) },
        { nameof(TicketServerOptions.HandshakeTimeout), options => options.HandshakeTimeout = TimeSpan.Zero },
        { nameof(TicketServerOptions.HandshakeTimeout), options => options.HandshakeTimeout = TimeSpan.FromMilliseconds(-5) },
        { nameof(TicketServerOptions.WriteTimeout), options => options.WriteTimeout = Timeout.InfiniteTimeSpan },
        { nameof(TicketServerOptions.ShutdownTimeout), options => options.ShutdownTimeout = TimeSpan.FromSeconds(-2) },
        { nameof(TicketServerOptions.MaxConnections), options => options.MaxConnections = 0 },
        { nameof(TicketServerOptions.MaxHandshakeMessageLength), options => options.MaxHandshakeMessageLength = 100 },
        { nameof(TicketServerOptions.EarlyDataSkipLimit), options => options.EarlyDataSkipLimit = -1 },
        { nameof(TicketServerOptions.ClientCertificateMode), options => options.ClientCertificateMode = (ClientCertificateMode)42 },
        { nameof(TicketServerOptions.TicketMode), options => options.TicketMode = (TicketMode)42 },
    };

    [Theory]
    [MemberData(nameof(OutOfRange))]
    public void An_unusable_value_is_refused_naming_its_property(string property, Action<TicketServerOptions> spoil)
    {
        var options = Valid();
        spoil(options);
        var error = Refused<ArgumentOutOfRangeException>(options);
        Assert.Equal(property, error.ParamName);
        Assert.Contains($"TicketServerOptions.{property}", error.Message);
    }

    public static TheoryData<string, Action<TicketServerOptions>> Unusable => new()
    {
        { nameof(TicketServerOptions.ApplicationProtocols), options => options.ApplicationProtocols = [SslApplicationProtocol.Http2, default] },
        { nameof(TicketServerOptions.Groups), options => options.Groups = [] },
        { nameof(TicketServerOptions.Groups), options => options.Groups = [NamedGroup.x25519, NamedGroup.x25519] },
        { nameof(TicketServerOptions.ClientCertificateAuthorities), options => options.ClientCertificateAuthorities = [null!] },
        { nameof(TicketServerOptions.ExternalPsks), options => options.ExternalPsks = [ExternalPsk.FromHex("a", "0011"), ExternalPsk.FromHex("a", "2233")] },
    };

    [Theory]
    [MemberData(nameof(Unusable))]
    public void An_unusable_list_is_refused_naming_its_property(string property, Action<TicketServerOptions> spoil)
    {
        var options = Valid();
        spoil(options);
        Assert.Equal(property, Refused<ArgumentException>(options).ParamName);
    }

    [Fact]
    public void External_psks_and_a_finder_contradict_each_other()
    {
        var options = Valid();
        options.ExternalPsks = [ExternalPsk.FromHex("a", "0011")];
        options.FindExternalPsk = _ => null;
        Assert.Contains("not both", Refused<InvalidOperationException>(options).Message);
    }

    [Fact]
    public void Valid_options_land_on_the_context_and_are_read_once()
    {
        using var anchor = X509CertificateLoader.LoadCertificate(TestCertificates.EcdsaP384.RawData);
        var options = new TicketServerOptions
        {
            ServerCertificate = TestCertificates.EcdsaP256,
            NumTickets = 5,
            SessionTimeout = TimeSpan.FromMinutes(10),
            MaxTicketRequest = 3,
            ApplicationProtocols = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11],
            Groups = [NamedGroup.secp256r1],
            ClientCertificateMode = ClientCertificateMode.Request,
            ClientCertificateAuthorities = [anchor],
            HandshakeTimeout = Timeout.InfiniteTimeSpan,
            WriteTimeout = TimeSpan.FromSeconds(7),
            ShutdownTimeout = TimeSpan.Zero,
            MaxConnections = 9,
            SingleUseTickets = true,
        };
        using var context = new TicketServerContext(options);

        // Changing the options afterwards changes nothing: they were read when the context was built.
        options.NumTickets = 1;
        options.ApplicationProtocols.Clear();

        Assert.Equal(5, context.GetNumTickets());
        Assert.Equal(600u, context.SessionTimeoutSeconds);
        Assert.Equal(3, context.MaxTicketRequest);
        Assert.Equal(["h2", "http/1.1"], context.ApplicationProtocols);
        Assert.Equal([NamedGroup.secp256r1], context.Groups);
        Assert.Equal(ClientCertificateMode.Request, context.ClientCertificateMode);
        Assert.Equal(anchor.Thumbprint, Assert.Single(context.ClientCertificateAuthorities).Thumbprint);
        Assert.Equal(Timeout.InfiniteTimeSpan, context.HandshakeTimeout);
        Assert.Equal(TimeSpan.FromSeconds(7), context.WriteTimeout);
        Assert.Equal(TimeSpan.Zero, context.ShutdownTimeout);
        Assert.Equal(9, context.MaxConnections);
        Assert.True(context.SingleUseTickets);
        Assert.NotNull(context.ServerCertificateContext);
    }
}
