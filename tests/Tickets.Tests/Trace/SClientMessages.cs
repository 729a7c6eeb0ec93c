using System.Buffers.Binary;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Tickets.Tests.Trace;

/// <summary>A handshake message as `openssl s_client -msg` printed it, with its bytes from the hex dump below the line.</summary>
public sealed record ClientSeenMessage(bool FromClient, string Name, byte[] Bytes)
{
    /// <summary>NewSessionTicket fields (RFC 8446 §4.6.1), decoded here by hand so the check does not lean on our codec.</summary>
    public (uint Lifetime, uint AgeAdd, byte[] Nonce, byte[] Ticket) Ticket()
    {
        var body = Bytes.AsSpan(4);
        var lifetime = BinaryPrimitives.ReadUInt32BigEndian(body);
        var ageAdd = BinaryPrimitives.ReadUInt32BigEndian(body[4..]);
        var nonceLength = body[8];
        var nonce = body.Slice(9, nonceLength).ToArray();
        var ticketLength = BinaryPrimitives.ReadUInt16BigEndian(body[(9 + nonceLength)..]);
        var ticket = body.Slice(11 + nonceLength, ticketLength).ToArray();
        return (lifetime, ageAdd, nonce, ticket);
    }
}

/// <summary>
/// Reads s_client -msg output: "&gt;&gt;&gt; TLS 1.3, Handshake [length 0088], NewSessionTicket" (sent by the client when
/// "&gt;&gt;&gt;", received when "&lt;&lt;&lt;") followed by indented hex lines holding the whole message.
/// </summary>
public static partial class SClientMessages
{
    public static IReadOnlyList<ClientSeenMessage> Parse(string output)
    {
        var lines = output.Split('\n');
        var messages = new List<ClientSeenMessage>();
        for (var index = 0; index < lines.Length; index++)
        {
            var match = HandshakeLine().Match(lines[index].TrimEnd());
            if (!match.Success)
            {
                continue;
            }

            var length = int.Parse(match.Groups["length"].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            var bytes = new List<byte>();
            for (var next = index + 1; next < lines.Length && bytes.Count < length && HexLine().IsMatch(lines[next]); next++)
            {
                bytes.AddRange(lines[next].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(hex => byte.Parse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture)));
            }

            Assert.True(bytes.Count == length, $"s_client's dump of {match.Groups["name"].Value} has {bytes.Count} of {length} bytes");
            messages.Add(new ClientSeenMessage(match.Groups["dir"].Value == ">>>", match.Groups["name"].Value, bytes.ToArray()));
        }

        return messages;
    }

    [GeneratedRegex(@"^(?<dir><<<|>>>) TLS 1\.3, Handshake \[length (?<length>[0-9a-f]+)\], (?<name>\w+)$")]
    private static partial Regex HandshakeLine();

    [GeneratedRegex(@"^\s+([0-9a-f]{2} ?)+\s*$")]
    private static partial Regex HexLine();
}
