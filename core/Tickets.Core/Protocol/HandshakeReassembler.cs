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

        // Usually nothing is pending and the record holds whole messages: read them straight from the
        // fragment instead of first copying it behind an empty tail.
        ReadOnlySpan<byte> buffer;
        if (_pending.Length == 0)
        {
            buffer = fragment;
        }
        else
        {
            var joined = new byte[_pending.Length + fragment.Length];
            _pending.CopyTo(joined, 0);
            fragment.CopyTo(joined.AsSpan(_pending.Length));
            buffer = joined;
        }

        var messages = new List<byte[]>(1);
        var offset = 0;
        while (HandshakeFraming.TryRead(buffer[offset..], out var type, out var bodyLength))
        {
            if (bodyLength > MaxMessageLength)
                return FinFail<(Seq<byte[]>, HandshakeReassembler)>(AlertError.Of(AlertDescription.IllegalParameter,
                    $"handshake message type {(byte)type} declares {bodyLength} bytes, limit is {MaxMessageLength}"));
            var total = HandshakeFraming.HeaderLength + bodyLength;
            if (buffer.Length - offset < total) break;
            messages.Add(buffer.Slice(offset, total).ToArray());
            offset += total;
        }

        // Immutable, so with nothing pending before or after, this same reassembler serves next.
        if (offset == buffer.Length && _pending.Length == 0)
            return FinSucc((toSeq(messages), this));
        byte[] rest = offset == buffer.Length ? [] : buffer[offset..].ToArray();
        return FinSucc((toSeq(messages), new HandshakeReassembler(rest, MaxMessageLength)));
    }
}
