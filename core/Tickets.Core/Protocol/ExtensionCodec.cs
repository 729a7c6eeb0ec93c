namespace Tickets.Core.Protocol;

/// <summary>
/// The extension list framing shared by every message that carries one (RFC 8446 §4.2):
/// a 2-byte total length, then (type, 2-byte length, body) entries.
/// </summary>
internal static class ExtensionCodec
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
    public static AlertError? ReadList(ref WireReader reader, string message, out EquatableArray<Extension> extensions)
    {
        extensions = default;
        if (!reader.TryReadVector16(0, 0xFFFF, out var block))
            return AlertError.Of(AlertDescription.DecodeError, $"{message}: extensions block truncated");
        var list = new Extension[WireReader.CountTypedVectors16(block)];
        var count = 0;
        var entries = new WireReader(block);
        while (!entries.IsEmpty)
        {
            if (!entries.TryReadUInt16(out var type) || !entries.TryReadVector16(0, 0xFFFF, out var data))
                return AlertError.Of(AlertDescription.DecodeError, $"{message}: extension truncated");
            for (var i = 0; i < count; i++)
            {
                if ((ushort)list[i].Type == type)
                    return AlertError.Of(AlertDescription.IllegalParameter, $"{message}: extension {type} appears twice");
            }
            list[count++] = new Extension((ExtensionType)type, Bytes.Own(data.ToArray()));
        }
        extensions = EquatableArray.Own(list);
        return null;
    }

    /// <summary>The extension of <paramref name="type"/> in <paramref name="extensions"/>, or null.</summary>
    public static Extension? Find(EquatableArray<Extension> extensions, ExtensionType type)
    {
        foreach (var extension in extensions)
        {
            if (extension.Type == type) return extension;
        }
        return null;
    }
}
