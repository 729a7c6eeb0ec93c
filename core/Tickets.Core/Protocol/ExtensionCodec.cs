namespace Tickets.Core.Protocol;

/// <summary>
/// The extension list framing shared by every message that carries one (RFC 8446 §4.2):
/// a 2-byte total length, then (type, 2-byte length, body) entries.
/// </summary>
public static class ExtensionCodec
{
    public static void WriteList(WireWriter writer, IEnumerable<Extension> extensions)
    {
        var list = writer.BeginVector(2);
        foreach (var extension in extensions)
        {
            writer.WriteUInt16((ushort)extension.Type);
            writer.WriteVector16(extension.Data);
        }
        writer.EndVector(list);
    }

    public static byte[] EncodeList(IEnumerable<Extension> extensions)
    {
        var writer = new WireWriter();
        WriteList(writer, extensions);
        return writer.ToArray();
    }

    /// <summary>
    /// Reads a length-prefixed extension list. Truncation is decode_error; a repeated type is
    /// illegal_parameter, since §4.2 forbids more than one extension of the same type in a message.
    /// </summary>
    public static AlertError? ReadList(ref WireReader reader, string message, out IReadOnlyList<Extension> extensions)
    {
        extensions = [];
        if (!reader.TryReadVector16(0, 0xFFFF, out var block))
            return AlertError.Of(AlertDescription.DecodeError, $"{message}: extensions block truncated");
        var list = new List<Extension>();
        var entries = new WireReader(block);
        while (!entries.IsEmpty)
        {
            if (!entries.TryReadUInt16(out var type) || !entries.TryReadVector16(0, 0xFFFF, out var data))
                return AlertError.Of(AlertDescription.DecodeError, $"{message}: extension truncated");
            foreach (var earlier in list)
            {
                if ((ushort)earlier.Type == type)
                    return AlertError.Of(AlertDescription.IllegalParameter, $"{message}: extension {type} appears twice");
            }
            list.Add(new Extension((ExtensionType)type, data.ToArray()));
        }
        extensions = list;
        return null;
    }
}
