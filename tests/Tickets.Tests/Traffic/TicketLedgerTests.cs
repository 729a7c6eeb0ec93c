using Tickets.Core.Model;
using Tickets.Tests.Engine;
using Tickets.Traffic;

namespace Tickets.Tests.Traffic;

/// <summary>
/// The one decide-and-swap step: each event advances the core's connection exactly once, however many threads race,
/// refusals change nothing, and the tickets of a decision stay bound to the authentication context of that moment.
/// </summary>
[Trait("Category", TestCategory.Unit)]
public sealed class TicketLedgerTests
{
    private static readonly AuthenticationContext Handshake = new(ClientCertificateRequirement.None, "");

    private static readonly AuthenticationContext Later = new(ClientCertificateRequirement.Request, "anchors");

    private static TicketLedger Ledger(TicketServerContext context) => new(context, Connection.Create(context.Settings));

    private static TicketGrant Granted(LanguageExt.Fin<TicketGrant> result) =>
        result.Match(Succ: grant => grant, Fail: error => throw new Xunit.Sdk.XunitException(error.Message));

    [Fact]
    public void Advance_adopts_the_next_connection_and_binds_its_tickets()
    {
        using var context = new TicketServerContext(TestCertificates.EcdsaP256);
        var ledger = Ledger(context);

        var handshake = Granted(ledger.Advance(new HandshakeOutcome.FullHandshake(true), Handshake));

        Assert.Equal(handshake.Decision.Next, ledger.Core);
        Assert.Equal(2, ledger.Core.SentTickets);
        Assert.Same(Handshake, handshake.BoundTo);
        // Without a new context, later decisions keep the bound one; with one, it holds from then on.
        Assert.Same(Handshake, Granted(ledger.Advance(new HandshakeOutcome.ExtraTicketsRequested(1))).BoundTo);
        Assert.Same(Later, Granted(ledger.Advance(new HandshakeOutcome.PostHandshakeAuthCompleted(default), Later)).BoundTo);
        Assert.Same(Later, Granted(ledger.Advance(new HandshakeOutcome.ExtraTicketsRequested(1))).BoundTo);
    }

    [Fact]
    public void A_refused_event_changes_nothing()
    {
        using var context = new TicketServerContext(TestCertificates.EcdsaP256);
        var ledger = Ledger(context);
        var before = ledger.Core;

        Assert.True(ledger.Advance(new HandshakeOutcome.ExtraTicketsRequested(1)).IsFail);
        Assert.True(ledger.SetNumTickets(-1).IsFail);

        Assert.Equal(before, ledger.Core);
        Assert.True(ledger.SetNumTickets(5).IsSucc);
        Assert.Equal(5, ledger.Core.NumTickets);
        Assert.Equal(5, ledger.ExpectedTicketCount(new HandshakeOutcome.FullHandshake(true)));
        Assert.Equal(before with { NumTickets = 5 }, ledger.Core);
    }

    [Fact]
    public async Task Racing_decisions_each_get_their_own_nonces_and_none_is_lost()
    {
        using var context = new TicketServerContext(TestCertificates.EcdsaP256);
        var ledger = Ledger(context);
        Granted(ledger.Advance(new HandshakeOutcome.FullHandshake(true), Handshake));
        const int threads = 8, perThread = 200;

        using var start = new Barrier(threads);
        var decided = await Task.WhenAll(Enumerable.Range(0, threads).Select(_ => Task.Run(() =>
        {
            start.SignalAndWait();
            var nonces = new List<ulong>();
            for (var i = 0; i < perThread; i++)
            {
                // SetNumTickets races along: it must not undo a decision, nor a decision undo it.
                Assert.True(ledger.SetNumTickets(i % 3).IsSucc);
                var grant = Granted(ledger.Advance(new HandshakeOutcome.ExtraTicketsRequested(2)));
                nonces.Add(grant.Decision.FirstNonce);
                nonces.Add(grant.Decision.FirstNonce + 1);
            }

            return nonces;
        })));

        var all = decided.SelectMany(nonces => nonces).Order().ToArray();
        Assert.Equal(Enumerable.Range(2, threads * perThread * 2).Select(n => (ulong)n), all);
        Assert.Equal(threads * perThread * 2, ledger.Core.ExtraTicketsIssued);
    }

    [Fact]
    public async Task Recorded_tickets_are_all_kept_in_the_order_they_were_recorded()
    {
        using var context = new TicketServerContext(TestCertificates.EcdsaP256);
        var ledger = Ledger(context);

        await Task.WhenAll(Enumerable.Range(0, 4).Select(thread => Task.Run(() =>
        {
            for (var i = 0; i < 100; i++)
            {
                ledger.Record([new IssuedTicket((ulong)(thread * 1000 + i), 7200, 100, DateTimeOffset.UnixEpoch)]);
            }
        })));

        Assert.Equal(400, ledger.Issued.Count);
        foreach (var thread in Enumerable.Range(0, 4))
        {
            var own = ledger.Issued.Where(ticket => ticket.Nonce / 1000 == (ulong)thread).Select(ticket => ticket.Nonce % 1000);
            Assert.Equal(Enumerable.Range(0, 100).Select(n => (ulong)n), own);
        }
    }
}
