using LanguageExt;
using Tickets.Core;
using Tickets.Core.Model;
using Tickets.Core.Policy;

namespace Tickets.Tests.Core;

/// <summary>Small helpers so each test reads as the rule it checks.</summary>
internal static class Decisions
{
    public static readonly HandshakeOutcome Full = new HandshakeOutcome.FullHandshake(ClientOfferedPskModes: true);
    public static readonly HandshakeOutcome Resumed = new HandshakeOutcome.Resumption(true, Option<PeerIdentity>.None);
    public static readonly HandshakeOutcome EmptyAuthentication = new HandshakeOutcome.PostHandshakeAuthCompleted(Option<PeerIdentity>.None);

    public static HandshakeOutcome Extra(int count) => new HandshakeOutcome.ExtraTicketsRequested(count);

    public static HandshakeOutcome Authenticated(PeerIdentity peer) => new HandshakeOutcome.PostHandshakeAuthCompleted(peer);

    public static PeerIdentity Peer(string subject) =>
        new(subject, new Bytes([0x30, 0x82, 0x01, 0x0a]), true, "ok");

    /// <summary>A successful decision, or a test failure naming the error.</summary>
    public static TicketDecision Succeeds(this Fin<TicketDecision> result) =>
        result.Match(decision => decision, error => throw new Xunit.Sdk.XunitException($"expected tickets, got {error}"));

    public static T Succeeds<T>(this Fin<T> result)
        where T : notnull =>
        result.Match(value => value, error => throw new Xunit.Sdk.XunitException($"expected success, got {error}"));

    /// <summary>The error of a failed result, or a test failure.</summary>
    public static LanguageExt.Common.Error Fails<T>(this Fin<T> result) =>
        result.Match(value => throw new Xunit.Sdk.XunitException($"expected an error, got {value}"), error => error);

    public static Context ContextWith(int? count)
    {
        var context = Context.Default;
        return count is { } n ? context.SetNumTickets(n).Succeeds() : context;
    }

    /// <summary>Runs outcomes in order on a fresh connection, returning every decision.</summary>
    public static IReadOnlyList<TicketDecision> Run(Context context, params HandshakeOutcome[] outcomes)
    {
        var connection = Connection.Create(context);
        var decisions = new List<TicketDecision>();
        foreach (var outcome in outcomes)
        {
            var decision = TicketPolicy.Decide(context, connection, outcome).Succeeds();
            decisions.Add(decision);
            connection = decision.Next;
        }

        return decisions;
    }
}
