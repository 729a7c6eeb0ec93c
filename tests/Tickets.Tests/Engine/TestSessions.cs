using LanguageExt;
using Tickets.Authentication;
using Tickets.Core.Model;
using Tickets.Core.Protocol;
using Tickets.TicketStore;

namespace Tickets.Tests.Engine;

/// <summary>Session states for tests that seal tickets by hand, with the defaults of a fresh context.</summary>
internal static class TestSessions
{
    /// <summary>The authentication context of a context that asks for no client certificate and trusts no CA.</summary>
    public static AuthenticationContext NoClientAuthentication { get; } = AuthenticationContexts.Of(ClientCertificateMode.None, []);

    /// <summary>
    /// A TLS 1.3 session as a context with default client-authentication settings would issue it. No server name and
    /// no ALPN by default: the recorded openssl ClientHello the engine tests send carries neither, and a session resumes
    /// only with the name and protocol it was made with.
    /// </summary>
    public static SessionState State(
        CipherSuite suite,
        byte[] psk,
        long issuedAtMilliseconds,
        uint lifetimeSeconds = 7200,
        uint ageAdd = 0x01020304,
        string? serverName = null,
        string? applicationProtocol = null,
        PeerIdentity? peer = null,
        AuthenticationContext? authentication = null) =>
        new(
            new ResumableSession(
                ProtocolVersion.Tls13,
                suite,
                issuedAtMilliseconds,
                lifetimeSeconds,
                ageAdd,
                Prelude.Optional(serverName),
                Prelude.Optional(applicationProtocol),
                Prelude.Optional(peer),
                authentication ?? NoClientAuthentication),
            psk);

    /// <summary>
    /// A ticket for <paramref name="state"/> the way the context's store issues them in its current mode (the local store
    /// answers at once, so waiting here blocks nothing).
    /// </summary>
    public static byte[] Issue(TicketServerContext context, SessionState state) =>
        context.TicketStore.IssueAsync(
            context.TicketMode, SessionStateFormat.Encode(state), TimeSpan.FromSeconds(state.Session.LifetimeSeconds)).AsTask().GetAwaiter().GetResult();

    /// <summary>The context's own store, which every context starts with.</summary>
    public static LocalTicketStore LocalStore(this TicketServerContext context) => Assert.IsType<LocalTicketStore>(context.TicketStore);

    /// <summary>The key ring of the context's own store.</summary>
    public static TicketKeyRing TicketKeys(this TicketServerContext context) => context.LocalStore().Keys;
}
