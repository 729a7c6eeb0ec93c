using LanguageExt;
using static LanguageExt.Prelude;

namespace Tickets.Core.Protocol;

/// <summary>
/// Turns handshake record payloads into whole handshake messages (RFC 8446 §5.1: messages may be split
/// across records and several may share one). Immutable: each append returns the finished messages and
/// the next reassembler holding any partial tail. The declared size is checked before buffering, so a
/// peer cannot make us hold more than <see cref="MaxMessageLength"/> bytes.
/// </summary>
public sealed class HandshakeReassembler
{
    /// <summary>Default limit on one message's body: room for a large client certificate chain.</summary>
    public const int DefaultMaxMessageLength = 128 * 1024;

    private readonly byte[] _pending;

    public HandshakeReassembler(int maxMessageLength = DefaultMaxMessageLength)
        : this([], maxMessageLength)
    {
    }

    private HandshakeReassembler(byte[] pending, int maxMessageLength)
    {
        if (maxMessageLength is < 1 or > 0xFFFFFF) throw new ArgumentOutOfRangeException(nameof(maxMessageLength));
        _pending = pending;
        MaxMessageLength = maxMessageLength;
    }

    public int MaxMessageLength { get; }

    /// <summary>
    /// True while part of a message is buffered. Keys change only on message boundaries (§5.1), so the
    /// engine must treat a key change while this is true as unexpected_message.
    /// </summary>
    public bool HasPartialMessage => _pending.Length > 0;

    /// <summary>
    /// Adds one handshake record's payload. Returns every message it completes (header included, in
    /// order) and the reassembler to use next. An empty fragment is unexpected_message (§5.1 forbids
    /// zero-length handshake fragments); a declared body longer than the limit is illegal_parameter.
    /// </summary>
    public Fin<(Seq<byte[]> Messages, HandshakeReassembler Next)> Append(ReadOnlySpan<byte> fragment)
    {
        if (fragment.IsEmpty)
            return FinFail<(Seq<byte[]>, HandshakeReassembler)>(AlertError.Of(AlertDescription.UnexpectedMessage, "zero-length handshake fragment"));

        var buffer = new byte[_pending.Length + fragment.Length];
        _pending.CopyTo(buffer, 0);
        fragment.CopyTo(buffer.AsSpan(_pending.Length));

        var messages = new List<byte[]>();
        var offset = 0;
        while (HandshakeFraming.TryRead(buffer.AsSpan(offset), out var type, out var bodyLength))
        {
            if (bodyLength > MaxMessageLength)
                return FinFail<(Seq<byte[]>, HandshakeReassembler)>(AlertError.Of(AlertDescription.IllegalParameter,
                    $"handshake message type {(byte)type} declares {bodyLength} bytes, limit is {MaxMessageLength}"));
            var total = HandshakeFraming.HeaderLength + bodyLength;
            if (buffer.Length - offset < total) break;
            messages.Add(buffer.AsSpan(offset, total).ToArray());
            offset += total;
        }

        var rest = offset == buffer.Length ? [] : buffer.AsSpan(offset).ToArray();
        return FinSucc((toSeq(messages), new HandshakeReassembler(rest, MaxMessageLength)));
    }
}
