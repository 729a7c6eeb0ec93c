using System.Buffers.Binary;
using System.Security.Cryptography;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Tickets.Redis;

/// <summary>One ticket key of the fleet's ring: its public name, its AES-256-GCM key and when it starts sealing.</summary>
internal sealed record FleetKeyEntry(byte[] Name, byte[] Key, DateTimeOffset ActivatesAt);

/// <summary>
/// The fleet's ticket key ring as stored (sealed) in Redis. Each key carries the instant it starts sealing; a key stops
/// sealing when the next one activates and keeps opening for the retention after that. A rotation adds a key that
/// activates a little later (the activation delay), so every process has learnt it, and opens with it, before any
/// process seals with it: a ticket from a freshly rotated process never meets a process that cannot open it.
/// </summary>
/// <remarks>
/// Plaintext layout (before sealing): version(1) = 1 || generation(8) || count(2) || count × (name(16) || key(32) ||
/// activation time in Unix milliseconds(8)), integers big-endian, newest activation first. The generation grows by one
/// with every write, so processes can tell a changed ring from the one they hold.
/// </remarks>
internal sealed class FleetKeyDocument
{
    public const byte Version = 1;
    private const int NameLength = 16;
    private const int KeyLength = 32;
    private const int EntryLength = NameLength + KeyLength + 8;
    private const int HeaderLength = 1 + 8 + 2;

    public FleetKeyDocument(ulong generation, IReadOnlyList<FleetKeyEntry> entries)
    {
        if (entries.Count == 0)
            throw new ArgumentException("A key ring document needs at least one key.", nameof(entries));
        Generation = generation;
        Entries = entries.OrderByDescending(entry => entry.ActivatesAt).ToArray();
    }

    public ulong Generation { get; }

    /// <summary>Newest activation first.</summary>
    public IReadOnlyList<FleetKeyEntry> Entries { get; }

    /// <summary>A first document: one fresh key, sealing at once.</summary>
    public static FleetKeyDocument Create(DateTimeOffset now) => new(1, [FreshEntry(now)]);

    /// <summary>
    /// The keys a process should hold at <paramref name="now"/>, in the order a <see cref="TicketStore.TicketKeyRing"/>
    /// wants them: the key that seals first, then keys not active yet (they open already), then retired keys whose
    /// tickets may still be alive.
    /// </summary>
    public IReadOnlyList<FleetKeyEntry> Live(DateTimeOffset now, TimeSpan retention)
    {
        var current = 0;
        while (current < Entries.Count - 1 && Entries[current].ActivatesAt > now)
            current++;
        var live = new List<FleetKeyEntry> { Entries[current] };
        live.AddRange(Entries.Take(current));
        for (var i = current + 1; i < Entries.Count; i++)
        {
            // Entry i stopped sealing when entry i - 1 took over.
            if (Entries[i - 1].ActivatesAt + retention > now)
                live.Add(Entries[i]);
        }

        return live;
    }

    /// <summary>Whether the newest key has sealed for a whole <paramref name="interval"/>.</summary>
    public bool RotationDue(DateTimeOffset now, TimeSpan interval) => Entries[0].ActivatesAt + interval <= now;

    /// <summary>
    /// The next document: a fresh key activating after <paramref name="activationDelay"/>, the keys still live, and a
    /// generation one higher.
    /// </summary>
    public FleetKeyDocument Rotated(DateTimeOffset now, TimeSpan activationDelay, TimeSpan retention) =>
        new(Generation + 1, [FreshEntry(now + activationDelay), .. Live(now, retention)]);

    /// <summary>The same keys under a new generation, to write back after Redis lost the ring (restarted without data).</summary>
    public FleetKeyDocument Republished() => new(Generation + 1, Entries);

    public byte[] Serialize()
    {
        var bytes = new byte[HeaderLength + Entries.Count * EntryLength];
        var span = bytes.AsSpan();
        span[0] = Version;
        BinaryPrimitives.WriteUInt64BigEndian(span[1..], Generation);
        BinaryPrimitives.WriteUInt16BigEndian(span[9..], checked((ushort)Entries.Count));
        var offset = HeaderLength;
        foreach (var entry in Entries)
        {
            entry.Name.CopyTo(span[offset..]);
            entry.Key.CopyTo(span[(offset + NameLength)..]);
            BinaryPrimitives.WriteInt64BigEndian(span[(offset + NameLength + KeyLength)..], entry.ActivatesAt.ToUnixTimeMilliseconds());
            offset += EntryLength;
        }

        return bytes;
    }

    /// <summary>The document in <paramref name="bytes"/>, or none when they are not a well-formed version 1 document.</summary>
    public static Option<FleetKeyDocument> Parse(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < HeaderLength || bytes[0] != Version)
            return None;
        var generation = BinaryPrimitives.ReadUInt64BigEndian(bytes[1..]);
        var count = BinaryPrimitives.ReadUInt16BigEndian(bytes[9..]);
        if (count == 0 || bytes.Length != HeaderLength + count * EntryLength)
            return None;
        var entries = new FleetKeyEntry[count];
        for (var i = 0; i < count; i++)
        {
            var entry = bytes.Slice(HeaderLength + i * EntryLength, EntryLength);
            var millis = BinaryPrimitives.ReadInt64BigEndian(entry[(NameLength + KeyLength)..]);
            if (millis < 0 || millis > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())
                return None;
            entries[i] = new FleetKeyEntry(
                entry[..NameLength].ToArray(), entry.Slice(NameLength, KeyLength).ToArray(), DateTimeOffset.FromUnixTimeMilliseconds(millis));
        }

        // Names pick keys, so two keys with one name would make tickets ambiguous: such a document is not ours.
        for (var i = 0; i < count; i++)
        {
            for (var j = 0; j < i; j++)
            {
                if (CryptographicOperations.FixedTimeEquals(entries[i].Name, entries[j].Name))
                    return None;
            }
        }

        return Some(new FleetKeyDocument(generation, entries));
    }

    private static FleetKeyEntry FreshEntry(DateTimeOffset activatesAt) =>
        new(RandomNumberGenerator.GetBytes(NameLength), RandomNumberGenerator.GetBytes(KeyLength), activatesAt);
}
