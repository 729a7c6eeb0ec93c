using System.Buffers;
using System.Buffers.Binary;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Tickets.Core.Protocol;

/// <summary>
/// NewSessionTicket (RFC 8446 §4.6.1). The nonce makes each ticket's PSK distinct; the ticket itself is
/// opaque to the client (for us: sealed session state or a lookup key).
/// </summary>
/// <param name="LifetimeSeconds">ticket_lifetime: how long the client may use the ticket, at most seven days.</param>
/// <param name="AgeAdd">ticket_age_add: the random value that obscures the ticket's age on the wire.</param>
/// <param name="Nonce">ticket_nonce: makes this ticket's PSK differ from the connection's other tickets'.</param>
/// <param name="Ticket">The ticket itself, which the client offers back as a PSK identity.</param>
/// <param name="Extensions">The ticket's extensions (this server sends none).</param>
public sealed record NewSessionTicket(uint LifetimeSeconds, uint AgeAdd, Bytes Nonce, Bytes Ticket, EquatableArray<Extension> Extensions);

/// <summary>Encodes and decodes <see cref="NewSessionTicket"/> messages.</summary>
internal static class NewSessionTicketCodec
{
    /// <summary>The whole handshake message, header included. An empty ticket or a nonce over 255 bytes is the caller's bug.</summary>
    public static byte[] Encode(NewSessionTicket ticket)
    {
        ArgumentNullException.ThrowIfNull(ticket);
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

    /// <summary>Decodes a NewSessionTicket (used by tests and tools; the server only sends them); faults are decode_error.</summary>
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
        return FinSucc(new NewSessionTicket(lifetime, ageAdd, Bytes.Own(nonce.ToArray()), Bytes.Own(ticket.ToArray()), extensions));
    }
}
