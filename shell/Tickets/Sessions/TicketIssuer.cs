using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using Tickets.Core.Model;
using Tickets.Core.Protocol;
using Tickets.Crypto;
using Tickets.Handshake;

namespace Tickets.Sessions;

/// <summary>
/// Turns the core's ticket decision into NewSessionTicket messages (RFC 8446 §4.6.1). The core decides
/// how many and with which nonces and lifetimes; this only adds what needs randomness or keys: a fresh
/// age_add per ticket, the resumption PSK for the nonce, and the ticket itself: the sealed session state, or
/// in stateful mode an id into the session cache holding it.
/// </summary>
internal static class TicketIssuer
{
    /// <summary>All messages of the flight back to back (sent in one write), and what was issued.</summary>
    /// <remarks>
    /// Asynchronous because with a fleet a stateful session is stored in Redis (bounded by its timeout). The messages
    /// are written straight into one buffer, and the tickets read one by one from the decision, so that a ticket costs
    /// its session state and its sealed form and little else.
    /// </remarks>
    public static async Task<(ReadOnlyMemory<byte> Flight, IReadOnlyList<IssuedTicket> Issued)> BuildAsync(
        TicketDecision decision, HandshakeSummary session, TicketProtection protection, TicketMode mode, DateTimeOffset now)
    {
        var flight = new ArrayBufferWriter<byte>(decision.Count * EstimatedMessageLength);
        var issued = new IssuedTicket[decision.Count];
        var nonce = new byte[8];
        // Every ticket's ticket_age_add (32 fresh random bits each, §4.6.1) from one draw: one call into the
        // generator per flight instead of one per ticket.
        var ageAdds = RandomNumberGenerator.GetBytes(decision.Count * sizeof(uint));
        for (var i = 0; i < decision.Count; i++)
        {
            var ticket = decision.Ticket(i);
            BinaryPrimitives.WriteUInt64BigEndian(nonce, ticket.Nonce);
            var state = new SessionState(
                ProtocolVersion.Tls13,
                (ushort)session.Suite.Suite,
                KeySchedule.ResumptionPsk(session.Suite.Hash, session.ResumptionMasterSecret, nonce),
                now.ToUnixTimeMilliseconds(),
                ticket.LifetimeSeconds,
                BinaryPrimitives.ReadUInt32BigEndian(ageAdds.AsSpan(i * sizeof(uint))),
                session.ServerName,
                session.ApplicationProtocol,
                ticket.Peer);
            var plaintext = SessionStateFormat.Encode(state);
            var sealedTicket = await protection.ProtectAsync(mode, plaintext, ticket.LifetimeSeconds).ConfigureAwait(false);
            CryptographicOperations.ZeroMemory(plaintext);
            CryptographicOperations.ZeroMemory(state.ResumptionPsk);

            NewSessionTicketCodec.EncodeTo(flight, ticket.LifetimeSeconds, state.AgeAdd, nonce, sealedTicket);
            issued[i] = new IssuedTicket(ticket.Nonce, ticket.LifetimeSeconds, sealedTicket.Length, now);
        }

        return (flight.WrittenMemory, issued);
    }

    // A stateless ticket without a client certificate: ~4 + 12 + 4 + 8 + 2 + ~150 + 2 bytes; the buffer grows if needed.
    private const int EstimatedMessageLength = 256;
}
