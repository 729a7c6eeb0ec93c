using System.Text;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Tickets.Core.Protocol;

/// <summary>
/// EncryptedExtensions (RFC 8446 §4.3.1): the server's answers that need no key exchange. This server
/// acknowledges server_name with an empty extension (RFC 6066 §3) and names the chosen ALPN protocol.
/// </summary>
public sealed record EncryptedExtensions(bool ServerNameAcknowledged, Option<string> ApplicationProtocol);

public static class EncryptedExtensionsCodec
{
    public static byte[] Encode(EncryptedExtensions message)
    {
        var extensions = new List<Extension>();
        if (message.ServerNameAcknowledged) extensions.Add(new(ExtensionType.ServerName, []));
        message.ApplicationProtocol.IfSome(protocol =>
            extensions.Add(new(ExtensionType.ApplicationLayerProtocolNegotiation, ExtensionBodies.Alpn([protocol]))));
        return HandshakeFraming.Frame(HandshakeType.EncryptedExtensions, ExtensionCodec.EncodeList(extensions));
    }

    public static Fin<EncryptedExtensions> Decode(ReadOnlySpan<byte> message)
    {
        var problem = HandshakeFraming.CheckBody(message, HandshakeType.EncryptedExtensions, out var body);
        if (problem is not null) return FinFail<EncryptedExtensions>(problem);
        var reader = new WireReader(body);
        problem = ExtensionCodec.ReadList(ref reader, "EncryptedExtensions", out var extensions);
        if (problem is not null) return FinFail<EncryptedExtensions>(problem);
        if (!reader.IsEmpty) return FinFail<EncryptedExtensions>(AlertError.Of(AlertDescription.DecodeError, "EncryptedExtensions has trailing bytes"));

        var serverName = false;
        var protocol = Option<string>.None;
        foreach (var extension in extensions)
        {
            if (extension.Type == ExtensionType.ServerName)
            {
                if (extension.Data.Length != 0) return FinFail<EncryptedExtensions>(AlertError.Of(AlertDescription.DecodeError, "server_name acknowledgement must be empty"));
                serverName = true;
            }
            else if (extension.Type == ExtensionType.ApplicationLayerProtocolNegotiation)
            {
                // The server answer is a list holding exactly one name (RFC 7301 §3.1).
                var alpn = new WireReader(extension.Data);
                if (!alpn.TryReadVector16(2, 0xFFFF, out var list) || !alpn.IsEmpty)
                    return FinFail<EncryptedExtensions>(AlertError.Of(AlertDescription.DecodeError, "ALPN answer malformed"));
                var names = new WireReader(list);
                if (!names.TryReadVector8(1, 0xFF, out var name) || !names.IsEmpty)
                    return FinFail<EncryptedExtensions>(AlertError.Of(AlertDescription.DecodeError, "ALPN answer must hold one protocol"));
                protocol = Some(Encoding.Latin1.GetString(name));
            }
        }
        return FinSucc(new EncryptedExtensions(serverName, protocol));
    }
}
