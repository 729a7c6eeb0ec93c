using System.Buffers;
using System.Buffers.Binary;
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

    /// <summary>
    /// The same bytes as <see cref="Encode"/> for a ticket without extensions (all a server of ours sends), written
    /// straight into <paramref name="output"/>: a flight of tickets is built in one buffer, with no array per message.
    /// </summary>
    public static void EncodeTo(IBufferWriter<byte> output, uint lifetimeSeconds, uint ageAdd, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ticket)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (ticket.Length is 0 or > 0xFFFF) throw new ArgumentException("ticket must be 1..65535 bytes", nameof(ticket));
        if (nonce.Length > 0xFF) throw new ArgumentException("ticket nonce exceeds 255 bytes", nameof(nonce));

        // lifetime(4) age_add(4) nonce<0..255> ticket<1..2^16-1> extensions<0..2^16-2> (empty)
        var bodyLength = 4 + 4 + 1 + nonce.Length + 2 + ticket.Length + 2;
        var message = output.GetSpan(HandshakeFraming.HeaderLength + bodyLength);
        message[0] = (byte)HandshakeType.NewSessionTicket;
        message[1] = (byte)(bodyLength >> 16);
        message[2] = (byte)(bodyLength >> 8);
        message[3] = (byte)bodyLength;
        var body = message[HandshakeFraming.HeaderLength..];
        BinaryPrimitives.WriteUInt32BigEndian(body, lifetimeSeconds);
        BinaryPrimitives.WriteUInt32BigEndian(body[4..], ageAdd);
        body[8] = (byte)nonce.Length;
        nonce.CopyTo(body[9..]);
        var rest = body[(9 + nonce.Length)..];
        BinaryPrimitives.WriteUInt16BigEndian(rest, (ushort)ticket.Length);
        ticket.CopyTo(rest[2..]);
        BinaryPrimitives.WriteUInt16BigEndian(rest[(2 + ticket.Length)..], 0);
        output.Advance(HandshakeFraming.HeaderLength + bodyLength);
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
