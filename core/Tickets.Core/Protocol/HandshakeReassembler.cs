using LanguageExt;
using static LanguageExt.Prelude;

namespace Tickets.Core.Protocol;

/// <summary>
/// Turns handshake record payloads into whole handshake messages (RFC 8446 §5.1: messages may be split
/// across records and several may share one). Immutable to its users: each append returns the finished
/// messages and the next reassembler holding any partial tail. The declared size is checked before buffering,
/// so a peer cannot make us hold more than <see cref="MaxMessageLength"/> bytes, and the number of records a
/// message may arrive in is capped (see <see cref="FragmentsAllowed"/>).
/// </summary>
/// <remarks>
/// <para>Linear time and memory. A partial message lives in one buffer grown geometrically toward its declared
/// length, and an append writes the new bytes behind the ones already there instead of copying the whole pending
/// buffer into a new one (which made a 128 KiB message sent in 1-byte records cost 8 GiB of copying). The last
/// growth lands exactly on the declared length, so the completed message is that buffer, handed out uncopied.</para>
/// <para>Why this stays pure: every reassembler sees only its own prefix of the shared buffer, which is never written
/// again. An append writes in place only past the longest prefix any reassembler has claimed, and claims it
/// atomically; appending twice to the same (older) reassembler finds its prefix already extended and copies instead.
/// Every reassembler therefore gives the same answer for the same input, however it is used.</para>
/// </remarks>
internal sealed class HandshakeReassembler
{
    /// <summary>Default limit on one message's body: room for a large client certificate chain.</summary>
    public const int DefaultMaxMessageLength = 128 * 1024;

    /// <summary>
    /// The default smallest average record payload a fragmented message may have: 512 bytes, the smallest record size
    /// any TLS extension lets a peer ask for (RFC 6066 max_fragment_length 2^9). We ask for none, so real clients send
    /// up to 2^14 bytes a record: a 128 KiB message needs 8 records and may use 256.
    /// </summary>
    public const int DefaultMinimumAverageFragment = 512;

    /// <summary>Records any message may use, however short: a 36-byte Finished may still come in pieces.</summary>
    public const int MinimumFragmentsAllowed = 32;

    /// <summary>Smallest growth step of a partial message's buffer, so 1-byte records do not regrow it every time.</summary>
    private const int MinimumCapacity = 256;

    private readonly Partial? _partial;

    /// <summary>A reassembler with the default limits, holding nothing yet.</summary>
    public HandshakeReassembler()
        : this(DefaultMaxMessageLength, DefaultMinimumAverageFragment)
    {
    }

    /// <summary>A reassembler with its own message size limit and the default fragment cap, holding nothing yet.</summary>
    /// <param name="maxMessageLength">The longest message body accepted (illegal_parameter beyond), 1 to 2^24-1.</param>
    public HandshakeReassembler(int maxMessageLength)
        : this(maxMessageLength, DefaultMinimumAverageFragment)
    {
    }

    /// <summary>A reassembler with its own limits, holding nothing yet.</summary>
    /// <param name="maxMessageLength">The longest message body accepted (illegal_parameter beyond), 1 to 2^24-1.</param>
    /// <param name="minimumAverageFragment">
    /// The smallest average record payload a fragmented message may have (see <see cref="FragmentsAllowed"/>); 1 lifts
    /// the cap on records per message.
    /// </param>
    public HandshakeReassembler(int maxMessageLength, int minimumAverageFragment)
        : this(null, maxMessageLength, minimumAverageFragment)
    {
        if (maxMessageLength is < 1 or > 0xFFFFFF) throw new ArgumentOutOfRangeException(nameof(maxMessageLength));
        if (minimumAverageFragment < 1) throw new ArgumentOutOfRangeException(nameof(minimumAverageFragment));
    }

    private HandshakeReassembler(Partial? partial, int maxMessageLength, int minimumAverageFragment)
    {
        _partial = partial;
        MaxMessageLength = maxMessageLength;
        MinimumAverageFragment = minimumAverageFragment;
    }

    /// <summary>The longest message body accepted; a longer declared length is illegal_parameter.</summary>
    public int MaxMessageLength { get; }

    /// <summary>The smallest average record payload a fragmented message may have; 1 lifts the fragment cap.</summary>
    public int MinimumAverageFragment { get; }

    /// <summary>
    /// True while part of a message is buffered. Keys change only on message boundaries (§5.1), so the
    /// engine must treat a key change while this is true as unexpected_message.
    /// </summary>
    public bool HasPartialMessage => _partial is not null;

    /// <summary>
    /// The most records a message of <paramref name="totalLength"/> bytes (header included) may arrive in:
    /// max(<see cref="MinimumFragmentsAllowed"/>, ⌈length / <see cref="MinimumAverageFragment"/>⌉). More is
    /// unexpected_message. A record costs us the same whatever its size, so this keeps the work a peer can cause
    /// proportional to the bytes it declares, which the message size limit bounds.
    /// </summary>
    public int FragmentsAllowed(int totalLength) =>
        (int)Math.Max(MinimumFragmentsAllowed, ((long)totalLength + MinimumAverageFragment - 1) / MinimumAverageFragment);

    /// <summary>
    /// Adds one handshake record's payload. Returns every message it completes (header included, in
    /// order) and the reassembler to use next. An empty fragment is unexpected_message (§5.1 forbids
    /// zero-length handshake fragments), so is a message spread over more records than <see cref="FragmentsAllowed"/>;
    /// a declared body longer than the limit is illegal_parameter.
    /// </summary>
    public Fin<(Seq<byte[]> Messages, HandshakeReassembler Next)> Append(ReadOnlySpan<byte> fragment)
    {
        if (fragment.IsEmpty)
            return Fail(AlertError.Of(AlertDescription.UnexpectedMessage, "zero-length handshake fragment"));

        List<byte[]>? messages = null;
        var rest = fragment;
        if (_partial is { } partial)
        {
            // First the message in progress, with the front of this fragment.
            var grown = partial.Extend(ref rest, this, out var problem);
            if (problem is not null) return Fail(problem);
            if (!grown.Complete)
                return FinSucc((LanguageExt.Seq<byte[]>.Empty, new HandshakeReassembler(grown, MaxMessageLength, MinimumAverageFragment)));
            (messages = new List<byte[]>(1)).Add(grown.Message());
        }

        // Whole messages straight from the fragment; only a tail that is not one gets a buffer of its own.
        while (HandshakeFraming.TryRead(rest, out var type, out var bodyLength))
        {
            if (bodyLength > MaxMessageLength) return Fail(TooLong(type, bodyLength));
            var total = HandshakeFraming.HeaderLength + bodyLength;
            if (rest.Length < total) break;
            (messages ??= new List<byte[]>(1)).Add(rest[..total].ToArray());
            rest = rest[total..];
        }

        var found = messages is null ? LanguageExt.Seq<byte[]>.Empty : toSeq(messages);
        if (rest.IsEmpty)
            // Immutable, so with nothing pending before or after, this same reassembler serves next.
            return FinSucc((found, _partial is null ? this : new HandshakeReassembler(null, MaxMessageLength, MinimumAverageFragment)));
        return FinSucc((found, new HandshakeReassembler(Partial.Start(rest), MaxMessageLength, MinimumAverageFragment)));
    }

    private AlertError TooLong(HandshakeType type, int bodyLength) =>
        AlertError.Of(AlertDescription.IllegalParameter, $"handshake message type {(byte)type} declares {bodyLength} bytes, limit is {MaxMessageLength}");

    private static Fin<(Seq<byte[]>, HandshakeReassembler)> Fail(AlertError error) =>
        FinFail<(Seq<byte[]>, HandshakeReassembler)>(error);

    /// <summary>
    /// A message in progress: the first <see cref="Length"/> bytes of <see cref="Buffer"/>, received in
    /// <see cref="Fragments"/> records. <see cref="Total"/> is the declared size, header included, once the 4-byte
    /// header is complete (0 before).
    /// </summary>
    private sealed class Partial(Shared buffer, int length, int total, int fragments)
    {
        public Shared Buffer { get; } = buffer;

        public int Length { get; } = length;

        public int Total { get; } = total;

        public int Fragments { get; } = fragments;

        public bool Complete => Total > 0 && Length == Total;

        /// <summary>The completed message: the buffer itself when it is exactly the message's size, which it is.</summary>
        public byte[] Message() => Buffer.Bytes.Length == Length ? Buffer.Bytes : Buffer.Bytes.AsSpan(0, Length).ToArray();

        /// <summary>The tail of a record that begins a message (the caller knows it is not a whole one).</summary>
        public static Partial Start(ReadOnlySpan<byte> tail)
        {
            var total = HandshakeFraming.TryRead(tail, out _, out var bodyLength) ? HandshakeFraming.HeaderLength + bodyLength : 0;
            var capacity = total > 0
                ? Math.Min(total, Math.Max(MinimumCapacity, 2 * tail.Length))
                : HandshakeFraming.HeaderLength;
            var shared = new Shared(new byte[capacity]) { Claimed = tail.Length };
            tail.CopyTo(shared.Bytes);
            return new Partial(shared, tail.Length, total, 1);
        }

        /// <summary>
        /// This message with as much of <paramref name="rest"/> as belongs to it; <paramref name="rest"/> is left with
        /// what follows the message. Sets <paramref name="problem"/> when the header declares too much or the message
        /// has used up its records.
        /// </summary>
        public Partial Extend(ref ReadOnlySpan<byte> rest, HandshakeReassembler owner, out AlertError? problem)
        {
            problem = null;
            var fragments = Fragments + 1;
            var total = Total;
            if (total == 0)
            {
                // The header is still incomplete: complete it first, then the size is known and can be checked.
                var headerBytes = Math.Min(HandshakeFraming.HeaderLength - Length, rest.Length);
                var withHeader = Write(rest[..headerBytes], 0);
                rest = rest[headerBytes..];
                if (withHeader.Length < HandshakeFraming.HeaderLength)
                    return new Partial(withHeader.Buffer, withHeader.Length, 0, fragments);
                HandshakeFraming.TryRead(withHeader.Buffer.Bytes.AsSpan(0, HandshakeFraming.HeaderLength), out var type, out var bodyLength);
                if (bodyLength > owner.MaxMessageLength)
                {
                    problem = owner.TooLong(type, bodyLength);
                    return this;
                }

                total = HandshakeFraming.HeaderLength + bodyLength;
                return new Partial(withHeader.Buffer, withHeader.Length, total, Fragments).FillBody(ref rest, owner, out problem, fragments);
            }

            return FillBody(ref rest, owner, out problem, fragments);
        }

        /// <summary>The body's next bytes from <paramref name="rest"/>, with the record count checked against the cap.</summary>
        private Partial FillBody(ref ReadOnlySpan<byte> rest, HandshakeReassembler owner, out AlertError? problem, int fragments)
        {
            problem = null;
            var body = rest[..Math.Min(Total - Length, rest.Length)];
            rest = rest[body.Length..];
            var written = Write(body, Total);
            var next = new Partial(written.Buffer, written.Length, Total, fragments);
            // Incomplete after using every record it may: one more would exceed the cap, so stop now.
            if (!next.Complete && fragments >= owner.FragmentsAllowed(Total))
            {
                problem = AlertError.Of(AlertDescription.UnexpectedMessage,
                    $"handshake message of {Total} bytes still incomplete after {fragments} records (at most {owner.FragmentsAllowed(Total)} allowed)");
            }

            return next;
        }

        /// <summary>
        /// This message's bytes followed by <paramref name="bytes"/>: written in place when nobody has written past our
        /// length yet and the buffer has room, else into a new buffer grown toward <paramref name="total"/> (0: unknown).
        /// </summary>
        private Partial Write(ReadOnlySpan<byte> bytes, int total)
        {
            if (bytes.IsEmpty)
                return this;
            var length = Length + bytes.Length;
            var target = Buffer;
            if (length > target.Bytes.Length || !target.TryClaim(Length, length))
            {
                var capacity = total > 0
                    ? Math.Min(total, Math.Max(length, Math.Max(MinimumCapacity, 2 * target.Bytes.Length)))
                    : Math.Max(length, HandshakeFraming.HeaderLength);
                target = new Shared(new byte[capacity]) { Claimed = length };
                Buffer.Bytes.AsSpan(0, Length).CopyTo(target.Bytes);
            }

            bytes.CopyTo(target.Bytes.AsSpan(Length));
            return new Partial(target, length, Total, Fragments);
        }
    }

    /// <summary>A buffer several reassemblers may read prefixes of, and how far any of them has claimed it.</summary>
    private sealed class Shared(byte[] bytes)
    {
        public byte[] Bytes { get; } = bytes;

        public int Claimed;

        /// <summary>Claims the bytes from <paramref name="from"/> to <paramref name="to"/> if nobody claimed past <paramref name="from"/>.</summary>
        public bool TryClaim(int from, int to) => Interlocked.CompareExchange(ref Claimed, to, from) == from;
    }
}
