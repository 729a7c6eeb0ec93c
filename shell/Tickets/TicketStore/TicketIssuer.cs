using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using LanguageExt;
using Tickets.Core.Model;
using Tickets.Core.Protocol;
using Tickets.Crypto;
using Tickets.Handshake;

namespace Tickets.TicketStore;

/// <summary>
/// Turns the core's ticket decision into NewSessionTicket messages (RFC 8446 §4.6.1). The core decides how many and
/// with which nonces and lifetimes; this only adds what needs randomness or keys: a fresh age_add per ticket, the
/// resumption PSK for the nonce, and the ticket itself, which the context's <see cref="ITicketStore"/> makes from the
/// encoded session state (sealed, or stored under an id).
/// </summary>
internal static class TicketIssuer
{
    /// <summary>All messages of the flight back to back (sent in one write), and what was issued.</summary>
    /// <remarks>
    /// Asynchronous because a store may keep sessions elsewhere (a fleet's in Redis, bounded by its timeout). The
    /// messages are written straight into one buffer, and the tickets read one by one from the decision, so that a ticket
    /// costs its session state and its sealed form and little else.
    /// </remarks>
    public static async Task<(ReadOnlyMemory<byte> Flight, IReadOnlyList<IssuedTicket> Issued)> BuildAsync(
        TicketDecision decision,
        HandshakeSummary session,
        AuthenticationContext authentication,
        ITicketStore store,
        TicketMode mode,
        DateTimeOffset now,
        EntropySource entropy,
        CancellationToken cancellationToken)
    {
        var flight = new ArrayBufferWriter<byte>(decision.Count * EstimatedMessageLength);
        var issued = new IssuedTicket[decision.Count];
        var nonce = new byte[8];
        // Every ticket's ticket_age_add (32 fresh random bits each) from one draw: one call into the generator per
        // flight rather than one per ticket.
        var ageAdds = entropy.GetBytes(decision.Count * sizeof(uint), EntropyUse.TicketAgeAdd);
        for (var i = 0; i < decision.Count; i++)
        {
            var ticket = decision.Ticket(i);
            BinaryPrimitives.WriteUInt64BigEndian(nonce, ticket.Nonce);
            var facts = new ResumableSession(
                ProtocolVersion.Tls13,
                session.Suite.Suite,
                now.ToUnixTimeMilliseconds(),
                ticket.LifetimeSeconds,
                BinaryPrimitives.ReadUInt32BigEndian(ageAdds.AsSpan(i * sizeof(uint))),
                Prelude.Optional(session.ServerName),
                Prelude.Optional(session.ApplicationProtocol),
                ticket.Peer,
                authentication);
            var state = new SessionState(facts, KeySchedule.ResumptionPsk(session.Suite.Hash, session.ResumptionMasterSecret, nonce));
            byte[] sealedTicket;
            var plaintext = Array.Empty<byte>();
            try
            {
                plaintext = SessionStateFormat.Encode(state);
                sealedTicket = await store.IssueAsync(mode, plaintext, TimeSpan.FromSeconds(ticket.LifetimeSeconds), cancellationToken)
                    .ConfigureAwait(false);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(plaintext);
                state.Wipe();
            }

            NewSessionTicketCodec.EncodeTo(flight, ticket.LifetimeSeconds, facts.AgeAdd, nonce, sealedTicket);
            issued[i] = new IssuedTicket(ticket.Nonce, ticket.LifetimeSeconds, sealedTicket.Length, now);
        }

        return (flight.WrittenMemory, issued);
    }

    // A stateless ticket without a client certificate: ~4 + 12 + 4 + 8 + 2 + ~150 + 2 bytes; the buffer grows if needed.
    private const int EstimatedMessageLength = 256;
}
