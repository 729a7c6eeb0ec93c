using Tickets.Core.Protocol;

namespace Tickets;

/// <summary>
/// The limits every connection of this context enforces on its peer: how large a handshake message may be, how long a
/// write may wait, how much declined early data is skipped. Each has a default safe for a public server; docs/hardening.md
/// lists them all, with the fixed ones.
/// </summary>
public sealed partial class TicketServerContext
{
    /// <summary>The smallest limit <see cref="MaxHandshakeMessageLength"/> takes: a ClientHello must fit.</summary>
    public const int MinHandshakeMessageLength = 1024;

    /// <summary>
    /// ≈ SSL_CTX_set_max_cert_list: the largest handshake message body a client may send (its ClientHello, its
    /// Certificate chain, ...), 128 KiB unless set. A client declaring a longer one gets illegal_parameter, as from
    /// OpenSSL ("excessive message size"), before any of its bytes are buffered. Read when a connection is created (post-handshake
    /// messages) and when its handshake starts;
    /// between <see cref="MinHandshakeMessageLength"/> and 2^24 - 1 (what the 3-byte length field can say).
    /// </summary>
    public int MaxHandshakeMessageLength
    {
        get => Volatile.Read(ref maxHandshakeMessageLength);
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, MinHandshakeMessageLength);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 0xFFFFFF);
            Volatile.Write(ref maxHandshakeMessageLength, value);
        }
    }

    private int maxHandshakeMessageLength = HandshakeReassembler.DefaultMaxMessageLength;

    /// <summary>The default of <see cref="WriteTimeout"/>: 60 s, nginx's send_timeout.</summary>
    public static readonly TimeSpan DefaultWriteTimeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The longest any write may wait for the peer to take our bytes: application data, tickets, a KeyUpdate answer,
    /// close_notify, the handshake's flights. A client that stops reading fills the socket buffers and then leaves a
    /// write waiting; past this deadline the connection is dropped and the write throws
    /// <see cref="TlsWriteTimeoutException"/>, so such a client cannot hold a connection slot forever (an idle timeout
    /// cannot see it: it is not idle, it is stuck). Measured per flush, like nginx's send_timeout between two writes;
    /// a slow but reading client keeps its connection. Read when a connection is created; positive.
    /// </summary>
    public TimeSpan WriteTimeout
    {
        get => TimeSpan.FromTicks(Volatile.Read(ref writeTimeoutTicks));
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(value, TimeSpan.Zero);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, TimeSpan.FromDays(1));
            Volatile.Write(ref writeTimeoutTicks, value.Ticks);
        }
    }

    private long writeTimeoutTicks = DefaultWriteTimeout.Ticks;

    /// <summary>The default of <see cref="EarlyDataSkipLimit"/>: OpenSSL's default max_early_data, 16384 bytes.</summary>
    public const int DefaultEarlyDataSkipLimit = 16384;

    /// <summary>
    /// This server never accepts early data (0-RTT), but a client that offers it sends it before it knows: those records
    /// are skipped (RFC 8446 §4.2.10) up to this many bytes, beyond which the connection fails with unexpected_message,
    /// as OpenSSL does past its max_early_data. Our tickets never allow early data, so only clients holding another
    /// server's tickets, or hostile ones, send any. At least 0 (0: none skipped).
    /// </summary>
    public int EarlyDataSkipLimit
    {
        get => Volatile.Read(ref earlyDataSkipLimit);
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            Volatile.Write(ref earlyDataSkipLimit, value);
        }
    }

    private int earlyDataSkipLimit = DefaultEarlyDataSkipLimit;

    /// <summary>
    /// Records a connection protects under one key before it sends a KeyUpdate; null: the AEAD's limit (RFC 8446 §5.5,
    /// 2^24 for AES-GCM). Lowered only by tests, which cannot send 16 million records.
    /// </summary>
    internal ulong? RecordsPerWriteKey { get; set; }
}
