using System.Security.Cryptography;
using Tickets.Core.Protocol;
using Tickets.TicketStore;

namespace Tickets.Tests.Engine;

/// <summary>
/// Every copy of a resumption PSK the server makes while choosing a ticket is wiped once the
/// handshake is done with it, on every path: a binder that does not verify (which used to leave the opened PSK in
/// memory), identities the core refused, a spent single-use ticket, and the accepted one once the connection closes.
/// The copies are caught as they are decoded (<see cref="SessionStateFormat"/>'s test hook), by their bytes, so tests
/// running in parallel do not disturb each other.
/// </summary>
[Trait("Category", TestCategory.Unit)]
public sealed class PskWipingTests
{
    private static SessionState Session(long issuedAt) =>
        TestSessions.State(CipherSuite.TLS_AES_128_GCM_SHA256, RandomNumberGenerator.GetBytes(32), issuedAt);

    private static SessionState Fresh() => Session(DateTimeOffset.UtcNow.AddSeconds(-5).ToUnixTimeMilliseconds());

    private static byte[] Issue(TicketServerContext context, SessionState state) =>
        TestSessions.Issue(context, state);

    private static ScriptedClient.Offer OfferOf(byte[] ticket, SessionState state, bool corruptBinder = false) =>
        new(ticket, unchecked(5_000u + state.Session.AgeAdd), state.ResumptionPsk, corruptBinder);

    /// <summary>Runs <paramref name="act"/> and returns every PSK copy the server decoded for one of <paramref name="states"/>.</summary>
    private static async Task<IReadOnlyList<byte[]>> CopiesDecodedDuring(Func<Task> act, params SessionState[] states)
    {
        var copies = new List<byte[]>();
        void Catch(SessionState decoded)
        {
            if (states.Any(state => state.ResumptionPsk.AsSpan().SequenceEqual(decoded.ResumptionPsk)))
            {
                lock (copies)
                {
                    copies.Add(decoded.ResumptionPsk);
                }
            }
        }

        SessionStateFormat.Decoded += Catch;
        try
        {
            await act();
        }
        finally
        {
            SessionStateFormat.Decoded -= Catch;
        }

        // The copies are the server's own arrays, not ours.
        Assert.All(copies, copy => Assert.DoesNotContain(states, state => ReferenceEquals(state.ResumptionPsk, copy)));
        return copies;
    }

    private static void AssertWiped(IReadOnlyList<byte[]> copies, int expected)
    {
        Assert.Equal(expected, copies.Count);
        Assert.All(copies, copy => Assert.True(copy.All(b => b == 0), "a PSK copy was left in memory"));
    }

    [Fact]
    public async Task A_binder_that_does_not_verify_leaves_no_psk_behind()
    {
        using var context = new TicketServerContext(TestCertificates.EcdsaP256);
        var state = Fresh();
        var ticket = Issue(context, state);

        var copies = await CopiesDecodedDuring(
            async () =>
            {
                var error = await ScriptedClient.RefusedAsync(context, ScriptedClient.HelloOffering([], OfferOf(ticket, state, corruptBinder: true)));
                Assert.Equal(AlertDescription.DecryptError, error.Alert);
            },
            state);

        AssertWiped(copies, expected: 1);
    }

    [Fact]
    public async Task Refused_identities_and_the_accepted_one_are_all_wiped_once_the_connection_is_done()
    {
        using var context = new TicketServerContext(TestCertificates.EcdsaP256);
        var expired = Session(DateTimeOffset.UtcNow.AddHours(-3).ToUnixTimeMilliseconds());
        var accepted = Fresh();
        var hello = ScriptedClient.HelloOffering([], OfferOf(Issue(context, expired), expired), OfferOf(Issue(context, accepted), accepted));

        var copies = await CopiesDecodedDuring(
            async () => Assert.True((await ScriptedClient.RunAsync(context, hello)).Resumed),
            expired,
            accepted);

        AssertWiped(copies, expected: 2);
    }

    [Fact]
    public async Task A_spent_single_use_ticket_leaves_no_psk_behind()
    {
        using var context = new TicketServerContext(TestCertificates.EcdsaP256) { SingleUseTickets = true };
        var spent = Fresh();
        var spentTicket = Issue(context, spent);
        Assert.True((await ScriptedClient.RunAsync(context, ScriptedClient.HelloOffering([], OfferOf(spentTicket, spent)))).Resumed);

        var copies = await CopiesDecodedDuring(
            async () => Assert.False((await ScriptedClient.RunAsync(context, ScriptedClient.HelloOffering([], OfferOf(spentTicket, spent)))).Resumed),
            spent);

        AssertWiped(copies, expected: 1);
    }
}
