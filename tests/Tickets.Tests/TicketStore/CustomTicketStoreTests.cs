using System.Collections.Concurrent;
using System.Security.Cryptography;
using Tickets.Core.Model;
using Tickets.Core.Protocol;
using Tickets.Tests.Engine;
using Tickets.TicketStore;

namespace Tickets.Tests.TicketsLifecycle;

/// <summary>
/// A store of the user's own plugs in through <see cref="TicketServerContext.UseTicketStore"/>: the server makes, opens
/// and consumes every ticket through it, in the order the interface promises, and consumes only single-use tickets.
/// </summary>
[Trait("Category", TestCategory.Unit)]
public sealed class CustomTicketStoreTests
{
    /// <summary>Keeps every session under a random id, like a distributed cache would, and records each call.</summary>
    private sealed class DictionaryStore : ITicketStore
    {
        private readonly ConcurrentDictionary<string, byte[]> sessions = new();

        public ConcurrentQueue<string> Calls { get; } = new();

        public bool Disposed { get; private set; }

        public ValueTask<byte[]> IssueAsync(TicketMode mode, ReadOnlyMemory<byte> sessionState, TimeSpan lifetime, CancellationToken cancellationToken = default)
        {
            Calls.Enqueue($"issue {mode} {lifetime.TotalSeconds}");
            var id = RandomNumberGenerator.GetBytes(20);
            sessions[Convert.ToHexString(id)] = sessionState.ToArray();
            return ValueTask.FromResult(id);
        }

        public ValueTask<byte[]?> OpenAsync(TicketMode mode, ReadOnlyMemory<byte> ticket, CancellationToken cancellationToken = default)
        {
            Calls.Enqueue($"open {mode}");
            return ValueTask.FromResult(sessions.TryGetValue(Convert.ToHexString(ticket.Span), out var state) ? state.ToArray() : null);
        }

        public ValueTask<bool> ConsumeAsync(TicketMode mode, ReadOnlyMemory<byte> ticket, DateTimeOffset expires, CancellationToken cancellationToken = default)
        {
            Calls.Enqueue($"consume {mode}");
            return ValueTask.FromResult(sessions.TryRemove(Convert.ToHexString(ticket.Span), out _));
        }

        public void Dispose() => Disposed = true;
    }

    private static SessionState Session() => TestSessions.State(
        CipherSuite.TLS_AES_128_GCM_SHA256, RandomNumberGenerator.GetBytes(32), DateTimeOffset.UtcNow.AddSeconds(-5).ToUnixTimeMilliseconds());

    private static ScriptedClient.Offer OfferOf(byte[] ticket, SessionState state) =>
        new(ticket, unchecked(5_000u + state.Session.AgeAdd), state.ResumptionPsk);

    [Fact]
    public async Task Every_ticket_of_a_full_handshake_is_made_by_the_store_in_the_contexts_mode()
    {
        using var context = new TicketServerContext(TestCertificates.EcdsaP256);
        var store = new DictionaryStore();
        context.UseTicketStore(store);

        var run = await ScriptedClient.RunAsync(context, ScriptedClient.Hello([]));

        Assert.Equal(2, run.Tickets.Count);
        Assert.All(run.Tickets, ticket => Assert.Equal(20, ticket.Ticket.Length));
        Assert.Equal(["issue Stateless 7200", "issue Stateless 7200"], store.Calls);
    }

    [Fact]
    public async Task A_ticket_of_the_store_resumes_and_is_consumed_only_when_tickets_are_single_use()
    {
        using var context = new TicketServerContext(TestCertificates.EcdsaP256) { TicketMode = TicketMode.Stateful };
        var store = new DictionaryStore();
        context.UseTicketStore(store);
        var state = Session();
        var ticket = TestSessions.Issue(context, state);

        Assert.True((await ScriptedClient.RunAsync(context, ScriptedClient.HelloOffering([], OfferOf(ticket, state)))).Resumed);
        Assert.DoesNotContain(store.Calls, call => call.StartsWith("consume", StringComparison.Ordinal));

        context.SingleUseTickets = true;
        Assert.True((await ScriptedClient.RunAsync(context, ScriptedClient.HelloOffering([], OfferOf(ticket, state)))).Resumed);
        // Spent: this store forgets a session it consumed, so the replay is not even opened.
        Assert.False((await ScriptedClient.RunAsync(context, ScriptedClient.HelloOffering([], OfferOf(ticket, state)))).Resumed);
        Assert.Single(store.Calls, call => call == "consume Stateful");
    }

    [Fact]
    public async Task A_forged_binder_opens_the_ticket_but_never_consumes_it()
    {
        using var context = new TicketServerContext(TestCertificates.EcdsaP256) { SingleUseTickets = true };
        var store = new DictionaryStore();
        context.UseTicketStore(store);
        var state = Session();
        var ticket = TestSessions.Issue(context, state);

        var refused = await ScriptedClient.RefusedAsync(context, ScriptedClient.HelloOffering([], OfferOf(ticket, state) with { CorruptBinder = true }));

        Assert.Equal(AlertDescription.DecryptError, refused.Alert);
        Assert.Equal(["issue Stateless 7200", "open Stateless"], store.Calls);
    }

    [Fact]
    public void The_context_owns_its_store_and_disposes_the_one_it_replaces()
    {
        var first = new DictionaryStore();
        var second = new DictionaryStore();
        using (var context = new TicketServerContext(TestCertificates.EcdsaP256))
        {
            Assert.IsType<LocalTicketStore>(context.TicketStore);
            context.UseTicketStore(first);
            context.UseTicketStore(first);
            Assert.False(first.Disposed);

            context.UseTicketStore(second);
            Assert.True(first.Disposed);
            Assert.Same(second, context.TicketStore);
            Assert.False(second.Disposed);
        }

        Assert.True(second.Disposed);
    }
}
