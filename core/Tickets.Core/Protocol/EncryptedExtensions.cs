using System.Text;
using LanguageExt;
using static LanguageExt.Prelude;

namespace Tickets.Core.Protocol;

/// <summary>
/// EncryptedExtensions (RFC 8446 §4.3.1): the server's answers that need no key exchange. This server
/// acknowledges server_name with an empty extension (RFC 6066 §3), names the chosen ALPN protocol, and answers a
/// client's ticket_request with the number of tickets it expects to send (RFC 9149 §3).
/// </summary>
/// <param name="ServerNameAcknowledged">Whether the server used the client's server_name (an empty server_name answers it).</param>
/// <param name="ApplicationProtocol">The ALPN protocol chosen, if any.</param>
public sealed record EncryptedExtensions(bool ServerNameAcknowledged, Option<string> ApplicationProtocol)
{
    /// <summary>
    /// RFC 9149's expected_count: sent only to a client that sent ticket_request, because a client that did not ask
    /// would not expect the extension (RFC 8446 §4.2 forbids unsolicited extensions in EncryptedExtensions).
    /// </summary>
    public Option<byte> ExpectedTicketCount { get; init; }
}

/// <summary>Encodes and decodes <see cref="EncryptedExtensions"/> messages.</summary>
internal static class EncryptedExtensionsCodec
{
    /// <summary>The whole handshake message, header included; extensions in the order server_name, ALPN, ticket_request.</summary>
    public static byte[] Encode(EncryptedExtensions message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var extensions = new List<Extension>();
        if (message.ServerNameAcknowledged) extensions.Add(new(ExtensionType.ServerName, []));
        message.ApplicationProtocol.IfSome(protocol =>
            extensions.Add(new(ExtensionType.ApplicationLayerProtocolNegotiation, ExtensionBodies.Alpn([protocol]))));
        message.ExpectedTicketCount.IfSome(count =>
            extensions.Add(new(ExtensionType.TicketRequest, ExtensionBodies.TicketRequestHint(count))));
        return HandshakeFraming.Frame(HandshakeType.EncryptedExtensions, ExtensionCodec.EncodeList(extensions));
    }

    /// <summary>
    /// Decodes EncryptedExtensions (used by tests and tools; the server only sends them): malformed answers are
    /// decode_error, a repeated extension illegal_parameter, extensions this server never sends are skipped.
    /// </summary>
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
        var expectedTickets = Option<byte>.None;
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
            else if (extension.Type == ExtensionType.TicketRequest)
            {
                // The server's form is a single expected_count byte, unlike the client's two counts (RFC 9149 §3).
                if (extension.Data.Length != 1)
                    return FinFail<EncryptedExtensions>(AlertError.Of(AlertDescription.DecodeError, "ticket_request answer must be one expected_count byte"));
                expectedTickets = Some(extension.Data[0]);
            }
        }
        return FinSucc(new EncryptedExtensions(serverName, protocol) { ExpectedTicketCount = expectedTickets });
    }
}
