using Tickets.Core.Model;
using Tickets.Tests.Interop;
using Tickets.Tests.Interop.PostHandshake;

namespace Tickets.Tests.Trace;

/// <summary>
/// The trace after the handshake, driven by `tickets serve`'s standard-input commands (c: post-handshake
/// authentication, t N: extra tickets) against openssl s_client -enable_pha: the CertificateRequest round is traced
/// in order, and each new flight of tickets comes with the rule that set its number.
/// </summary>
[Trait("Category", TestCategory.Interop)]
public sealed class TracePostHandshakeInteropTests
{
    [Fact]
    public async Task Authentication_restarts_the_count_and_extra_tickets_come_on_top_each_with_its_reason()
    {
        await using var server = await PhaServer.StartAsync("--trace", "--num-tickets", "2");
        await using var client = InteractiveClient.OpenSsl(server.Port, postHandshakeAuth: true, PhaServer.TrustedClient);
        var connection = await server.NextConnectionAsync();
        await client.ExpectTicketsAsync(2, "after the handshake");

        var authentication = await PhaServer.RequestCertificateAsync(server, connection.Id);
        Assert.Equal(2, authentication.Tickets);
        await client.ExpectTicketsAsync(4, "after the authentication");
        Assert.Equal($"tickets: t 3: conn {connection.Id} sent 3 extra tickets", await PhaServer.CommandAsync(server, "t 3"));
        await client.ExpectTicketsAsync(7, "after the extra tickets");

        var trace = ServerTrace.Of(server.Process.OutputLines, connection.Id);
        var seen = SClientMessages.Parse(client.Output);
        string[] expected =
        [
            .. TraceInteropTests.FullHandshake, "S NewSessionTicket", "S NewSessionTicket",
            "S CertificateRequest", "C Certificate", "C CertificateVerify", "C Finished", "S NewSessionTicket", "S NewSessionTicket",
            "S NewSessionTicket", "S NewSessionTicket", "S NewSessionTicket",
        ];
        Assert.Equal(expected, TraceInteropTests.Names(trace.Messages));
        Assert.Equal(expected, TraceInteropTests.Names(seen));
        // Everything after the handshake travels under the application traffic keys.
        Assert.All(trace.Messages.Skip(2), message => Assert.True(message.Protected, message.ToString()));

        Assert.Equal(
            [
                new TracedDecision(2, nameof(DecisionReason.FullHandshakeCount), DecisionReason.FullHandshakeCount.Describe()),
                new TracedDecision(2, nameof(DecisionReason.PostHandshakeAuthRestart), DecisionReason.PostHandshakeAuthRestart.Describe()),
                new TracedDecision(3, nameof(DecisionReason.ExtraTicketsRequested), DecisionReason.ExtraTicketsRequested.Describe()),
            ],
            trace.Decisions);
        // Nonces continue across the three flights (never reset), and each ticket names its own flight's rule.
        TraceInteropTests.AssertTicketsMatch(trace, seen);
        Assert.Equal(
            [
                nameof(DecisionReason.FullHandshakeCount), nameof(DecisionReason.FullHandshakeCount),
                nameof(DecisionReason.PostHandshakeAuthRestart), nameof(DecisionReason.PostHandshakeAuthRestart),
                nameof(DecisionReason.ExtraTicketsRequested), nameof(DecisionReason.ExtraTicketsRequested), nameof(DecisionReason.ExtraTicketsRequested),
            ],
            trace.Tickets.Select(ticket => ticket.Reason));
        Assert.Contains(trace.Lines, line => line.Contains($"subject {ClientCertificateFiles.ClientSubject}", StringComparison.Ordinal));
        await client.CloseAsync();
    }

    [Fact]
    public async Task Authentication_on_a_resumed_connection_is_capped_at_one_and_says_so()
    {
        await using var server = await PhaServer.StartAsync("--trace", "--num-tickets", "3");
        var session = Path.Combine(InteropPaths.NewDirectory("trace-pha"), "session.pem");
        await using (var first = InteractiveClient.OpenSsl(server.Port, postHandshakeAuth: true, PhaServer.TrustedClient, sessionOut: session))
        {
            await server.NextConnectionAsync();
            await first.ExpectTicketsAsync(3, "after the first handshake");
            await first.CloseAsync();
        }

        await using var resumed = InteractiveClient.OpenSsl(server.Port, postHandshakeAuth: true, PhaServer.TrustedClient, sessionIn: session);
        var connection = await server.NextConnectionAsync();
        Assert.True(connection.Resumed);
        await resumed.ExpectTicketsAsync(1, "after the resumption");
        Assert.Equal(1, (await PhaServer.RequestCertificateAsync(server, connection.Id)).Tickets);
        await resumed.ExpectTicketsAsync(2, "after the authentication");

        var trace = ServerTrace.Of(server.Process.OutputLines, connection.Id);
        Assert.Equal(
            [
                new TracedDecision(1, nameof(DecisionReason.ResumedAtMostOne), DecisionReason.ResumedAtMostOne.Describe()),
                new TracedDecision(
                    1, nameof(DecisionReason.PostHandshakeAuthResumedAtMostOne), DecisionReason.PostHandshakeAuthResumedAtMostOne.Describe()),
            ],
            trace.Decisions);
        TraceInteropTests.AssertTicketsMatch(trace, SClientMessages.Parse(resumed.Output));
        await resumed.CloseAsync();
    }
}
