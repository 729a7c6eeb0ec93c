using LanguageExt;
using static LanguageExt.Prelude;

namespace Tickets.Core.Protocol;

/// <summary>
/// NewSessionTicket (RFC 8446 §4.6.1). The nonce makes each ticket's PSK distinct; the ticket itself is
/// opaque to the client (for us: sealed session state or a lookup key).
/// </summary>
public sealed record NewSessionTicket(uint LifetimeSeconds, uint AgeAdd, byte[] Nonce, byte[] Ticket, IReadOnlyList<Extension> Extensions);

public static class NewSessionTicketCodec
{
    public static byte[] Encode(NewSessionTicket ticket)
    {
        if (ticket.Ticket.Length == 0) throw new ArgumentException("ticket must not be empty", nameof(ticket));
        if (ticket.Nonce.Length > 0xFF) throw new ArgumentException("ticket nonce exceeds 255 bytes", nameof(ticket));
        var writer = new WireWriter(ticket.Ticket.Length + ticket.Nonce.Length + 16);
        writer.WriteUInt32(ticket.LifetimeSeconds);
        writer.WriteUInt32(ticket.AgeAdd);
        writer.WriteVector8(ticket.Nonce);
        writer.WriteVector16(ticket.Ticket);
        ExtensionCodec.WriteList(writer, ticket.Extensions);
        return HandshakeFraming.Frame(HandshakeType.NewSessionTicket, writer.ToArray());
    }

    public static Fin<NewSessionTicket> Decode(ReadOnlySpan<byte> message)
    {
        var problem = HandshakeFraming.CheckBody(message, HandshakeType.NewSessionTicket, out var body);
        if (problem is not null) return FinFail<NewSessionTicket>(problem);
        var reader = new WireReader(body);
        if (!reader.TryReadUInt32(out var lifetime)
            || !reader.TryReadUInt32(out var ageAdd)
            || !reader.TryReadVector8(0, 0xFF, out var nonce)
            || !reader.TryReadVector16(1, 0xFFFF, out var ticket))
            return FinFail<NewSessionTicket>(AlertError.Of(AlertDescription.DecodeError, "NewSessionTicket truncated"));
        problem = ExtensionCodec.ReadList(ref reader, "NewSessionTicket", out var extensions);
        if (problem is not null) return FinFail<NewSessionTicket>(problem);
        if (!reader.IsEmpty) return FinFail<NewSessionTicket>(AlertError.Of(AlertDescription.DecodeError, "NewSessionTicket has trailing bytes"));
        return FinSucc(new NewSessionTicket(lifetime, ageAdd, nonce.ToArray(), ticket.ToArray(), extensions));
    }
}
