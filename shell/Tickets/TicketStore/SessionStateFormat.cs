using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using LanguageExt;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Tickets.Core;
using Tickets.Core.Model;
using Tickets.Core.Protocol;

namespace Tickets.TicketStore;

/// <summary>
/// The byte layout of <see cref="SessionState"/> inside a ticket. The ticket sealer authenticates these
/// bytes, so decoding only has to cope with formats we wrote ourselves (an old format version, say); it
/// still refuses anything malformed instead of throwing, because a ticket is peer-supplied input.
/// </summary>
/// <remarks>
/// <para>Layout, all integers big-endian:
/// format(1) = 2, version(2) suite(2) psk(u8 len) issued_ms(8) lifetime(4) age_add(4)
/// sni(u16 len, UTF-8, 0 = none) alpn(u8 len, 0 = none)
/// peer_kind(1) [1: subject(u16 len) leaf_der(u24 len) verified(1) verification_result(u16 len) | 2: psk_identity(u16 len)]
/// auth_requirement(1: 0 none, 1 request, 2 require) trust_anchors_digest(u8 len, 32 bytes)</para>
/// <para>Peer kinds: 0 no client identity, 1 a certificate, 2 the holder of an external PSK (its identity only: the
/// rest of <see cref="PeerIdentity.OfExternalPsk"/> follows from it). Kind 2 came with external PSKs; a server before
/// them finds such a ticket malformed, and its client gets a full handshake.</para>
/// <para>Format 1 had no authentication context. Its tickets decode to nothing, so a client holding one gets a full
/// handshake and a ticket of the current format: there is no safe context to assume for them.</para>
/// </remarks>
internal static class SessionStateFormat
{
    private const byte FormatVersion = 2;

    /// <summary>SHA-256: the only digest the shell computes for trust anchors.</summary>
    private const int TrustAnchorsDigestLength = 32;

    /// <summary>
    /// Every state decoded, for tests that check the PSK copies they hold are wiped on every path; null (and free)
    /// otherwise.
    /// </summary>
    internal static event Action<SessionState>? Decoded;

    public static byte[] Encode(SessionState state)
    {
        var session = state.Session;
        var sni = Utf8(session.ServerName);
        var alpn = Utf8(session.ApplicationProtocol);
        var pskPeer = session.Peer.Case is PeerIdentity { IsExternalPsk: true } holder ? holder.ExternalPskIdentity.ToArray() : null;
        var peer = pskPeer is null ? session.Peer.Case as PeerIdentity : null;
        var subject = peer is null ? [] : Encoding.UTF8.GetBytes(peer.Subject);
        var leaf = peer is null ? [] : peer.LeafCertificateDer.ToArray();
        var result = peer is null ? [] : Encoding.UTF8.GetBytes(peer.VerificationResult);
        var digest = Convert.FromHexString(session.AuthenticationContext.TrustAnchorsDigest);

        // Sized up front so the buffer never grows: a grown buffer would leave a copy of the PSK behind unwiped.
        var length = 1 + 2 + 2 + 1 + state.ResumptionPsk.Length + 8 + 4 + 4 + 2 + sni.Length + 1 + alpn.Length + 1
            + (peer is null ? 0 : 2 + subject.Length + 3 + leaf.Length + 1 + 2 + result.Length)
            + (pskPeer is null ? 0 : 2 + pskPeer.Length)
            + 1 + 1 + digest.Length;
        var writer = new ArrayBufferWriter<byte>(length);
        WriteByte(writer, FormatVersion);
        WriteUInt16(writer, session.ProtocolVersion);
        WriteUInt16(writer, (ushort)session.CipherSuite);
        WriteVector(writer, state.ResumptionPsk, lengthBytes: 1);
        Span<byte> eight = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(eight, session.IssuedAtMilliseconds);
        writer.Write(eight);
        WriteUInt32(writer, session.LifetimeSeconds);
        WriteUInt32(writer, session.AgeAdd);
        WriteVector(writer, sni, lengthBytes: 2);
        WriteVector(writer, alpn, lengthBytes: 1);
        if (pskPeer is not null)
        {
            WriteByte(writer, 2);
            WriteVector(writer, pskPeer, lengthBytes: 2);
        }
        else if (peer is null)
        {
            WriteByte(writer, 0);
        }
        else
        {
            WriteByte(writer, 1);
            WriteVector(writer, subject, lengthBytes: 2);
            WriteVector(writer, leaf, lengthBytes: 3);
            WriteByte(writer, peer.Verified ? (byte)1 : (byte)0);
            WriteVector(writer, result, lengthBytes: 2);
        }

        WriteByte(writer, (byte)session.AuthenticationContext.Requirement);
        WriteVector(writer, digest, lengthBytes: 1);
        var encoded = writer.WrittenSpan.ToArray();
        // The writer's buffer held the PSK too.
        CryptographicOperations.ZeroMemory(MemoryMarshal.AsMemory(writer.WrittenMemory).Span);
        return encoded;
    }

    /// <summary>The state, or null when the bytes are not a session state we understand.</summary>
    public static SessionState? Decode(ReadOnlySpan<byte> bytes)
    {
        var reader = new Reader(bytes);
        if (!reader.Byte(out var format) || format != FormatVersion
            || !reader.UInt16(out var version)
            || !reader.UInt16(out var suite)
            || !reader.Vector(1, out var psk) || psk.Length == 0
            || !reader.Int64(out var issued)
            || !reader.UInt32(out var lifetime)
            || !reader.UInt32(out var ageAdd)
            || !reader.Vector(2, out var sni)
            || !reader.Vector(1, out var alpn)
            || !reader.Byte(out var peerPresent))
        {
            return null;
        }

        Option<PeerIdentity> peer = Option<PeerIdentity>.None;
        if (peerPresent == 1)
        {
            if (!reader.Vector(2, out var subject)
                || !reader.Vector(3, out var leaf)
                || !reader.Byte(out var verified) || verified > 1
                || !reader.Vector(2, out var result))
            {
                return null;
            }

            peer = new PeerIdentity(
                Encoding.UTF8.GetString(subject), new Bytes(leaf), verified == 1, Encoding.UTF8.GetString(result));
        }
        else if (peerPresent == 2)
        {
            if (!reader.Vector(2, out var identity) || identity.Length == 0)
            {
                return null;
            }

            peer = PeerIdentity.OfExternalPsk(new Bytes(identity));
        }
        else if (peerPresent != 0)
        {
            return null;
        }

        if (!reader.Byte(out var requirement) || requirement > (byte)ClientCertificateRequirement.Require
            || !reader.Vector(1, out var anchors) || anchors.Length != TrustAnchorsDigestLength
            || !reader.AtEnd)
        {
            return null;
        }

        var session = new ResumableSession(
            version,
            (CipherSuite)suite,
            issued,
            lifetime,
            ageAdd,
            sni.Length == 0 ? Option<string>.None : Encoding.UTF8.GetString(sni),
            alpn.Length == 0 ? Option<string>.None : Encoding.UTF8.GetString(alpn),
            peer,
            new AuthenticationContext((ClientCertificateRequirement)requirement, Convert.ToHexStringLower(anchors)));
        var state = new SessionState(session, psk.ToArray());
        Decoded?.Invoke(state);
        return state;
    }

    private static byte[] Utf8(Option<string> text) => text.Case is string value ? Encoding.UTF8.GetBytes(value) : [];

    private static void WriteByte(ArrayBufferWriter<byte> writer, byte value) => writer.Write([value]);

    private static void WriteUInt16(ArrayBufferWriter<byte> writer, ushort value)
    {
        Span<byte> two = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(two, value);
        writer.Write(two);
    }

    private static void WriteUInt32(ArrayBufferWriter<byte> writer, uint value)
    {
        Span<byte> four = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(four, value);
        writer.Write(four);
    }

    private static void WriteVector(ArrayBufferWriter<byte> writer, ReadOnlySpan<byte> data, int lengthBytes)
    {
        var max = (1L << (8 * lengthBytes)) - 1;
        if (data.Length > max)
        {
            throw new ArgumentException($"Session state field of {data.Length} bytes does not fit a {lengthBytes}-byte length.");
        }

        Span<byte> length = stackalloc byte[lengthBytes];
        for (var i = 0; i < lengthBytes; i++)
        {
            length[i] = (byte)(data.Length >> (8 * (lengthBytes - 1 - i)));
        }

        writer.Write(length);
        writer.Write(data);
    }

    /// <summary>A bounds-checked cursor: every read reports failure instead of throwing on short input.</summary>
    private ref struct Reader(ReadOnlySpan<byte> bytes)
    {
        private ReadOnlySpan<byte> rest = bytes;

        public readonly bool AtEnd => rest.IsEmpty;

        public bool Byte(out byte value)
        {
            value = 0;
            if (rest.Length < 1)
            {
                return false;
            }

            value = rest[0];
            rest = rest[1..];
            return true;
        }

        public bool UInt16(out ushort value)
        {
            value = 0;
            if (!BinaryPrimitives.TryReadUInt16BigEndian(rest, out value))
            {
                return false;
            }

            rest = rest[2..];
            return true;
        }

        public bool UInt32(out uint value)
        {
            if (!BinaryPrimitives.TryReadUInt32BigEndian(rest, out value))
            {
                return false;
            }

            rest = rest[4..];
            return true;
        }

        public bool Int64(out long value)
        {
            if (!BinaryPrimitives.TryReadInt64BigEndian(rest, out value))
            {
                return false;
            }

            rest = rest[8..];
            return true;
        }

        public bool Vector(int lengthBytes, out ReadOnlySpan<byte> value)
        {
            value = default;
            if (rest.Length < lengthBytes)
            {
                return false;
            }

            var length = 0;
            for (var i = 0; i < lengthBytes; i++)
            {
                length = (length << 8) | rest[i];
            }

            if (rest.Length - lengthBytes < length)
            {
                return false;
            }

            value = rest.Slice(lengthBytes, length);
            rest = rest[(lengthBytes + length)..];
            return true;
        }
    }
}
