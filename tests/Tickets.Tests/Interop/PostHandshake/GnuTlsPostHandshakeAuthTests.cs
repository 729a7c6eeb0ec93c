namespace Tickets.Tests.Interop.PostHandshake;

/// <summary>
/// Post-handshake authentication against gnutls-cli --post-handshake-auth, which answers a CertificateRequest after
/// the handshake on its own with the --x509certfile/--x509keyfile identity; tickets are counted from its "-d 4" log.
/// The scenarios are those of <see cref="PostHandshakeAuthScenarios"/>.
/// </summary>
[Trait("Category", TestCategory.Interop)]
public sealed class GnuTlsPostHandshakeAuthTests : PostHandshakeAuthScenarios
{
    protected override InteractiveClient Connect(int port, bool postHandshakeAuth, InteractiveClient.Identity? identity) =>
        InteractiveClient.GnuTls(port, postHandshakeAuth, identity);
}
