using System.Globalization;
using System.Text;

namespace Tickets.Cli;

/// <summary>
/// The --www responder's text: an HTTP/1.0 response describing the connection, in the spirit of `openssl s_server -www`.
/// HTTP/1.0 with "Connection: close" because the server closes after one answer, which is what curl and s_time expect.
/// </summary>
internal static class WwwPage
{
    public static string Body(ConnectionReport report)
    {
        var text = new StringBuilder();
        text.Append("tickets: TLS 1.3 session ticket server\n\n");
        Line(text, "Protocol", ConnectionReport.Protocol);
        Line(text, "Cipher suite", report.CipherSuite);
        Line(text, "Group", report.Group.Length == 0 ? "(none)" : report.Group);
        // A PSK handshake authenticates with the PSK: no Certificate, no CertificateVerify.
        Line(text, "Signature scheme", report.ExternalPsk ? "none (external PSK)" : report.Resumed ? "none (resumed with a ticket)" : report.SignatureScheme);
        Line(text, "SNI", report.ServerName is { } name ? PeerText.Escape(name) : "(none)");
        Line(text, "ALPN", report.ApplicationProtocol is { } protocol ? PeerText.Escape(protocol) : "(none)");
        Line(text, "Session resumed", report.Resumed ? "yes" : "no");
        Line(text, "Tickets issued on this connection", report.TicketsIssued.ToString(CultureInfo.InvariantCulture));
        Line(text, "PSK", report.ExternalPsk ? "external" : report.Resumed ? "ticket" : "(none)");
        Line(text, "Client certificate", report.Peer is { IsExternalPsk: false } holder ? PeerText.Escape(holder.Subject) : "(none)");
        if (report.Peer is { IsExternalPsk: true } pskHolder)
        {
            Line(text, "Client PSK identity", PeerText.Escape(pskHolder.Subject));
        }
        else if (report.Peer is { } peer)
        {
            Line(text, "Client certificate verification", peer.Verified ? "ok" : $"failed: {PeerText.Escape(peer.VerificationResult)}");
        }

        Line(text, "Connection", report.Id.ToString(CultureInfo.InvariantCulture));
        return text.ToString();
    }

    public static byte[] Ok(ConnectionReport report) => Response("200 OK", Body(report));

    public static byte[] Forbidden(string why) => Response("403 Forbidden", $"tickets: {why}\n");

    public static byte[] BadRequest(string why) => Response("400 Bad Request", $"tickets: {why}\n");

    public static byte[] MethodNotAllowed(string method) =>
        Response("405 Method Not Allowed", $"tickets: only GET is served, not {method}\n", "Allow: GET\r\n");

    private static void Line(StringBuilder text, string name, string value) => text.Append(name).Append(": ").Append(value).Append('\n');

    private static byte[] Response(string status, string body, string extraHeaders = "")
    {
        var bodyBytes = Encoding.UTF8.GetBytes(body);
        var head = string.Create(CultureInfo.InvariantCulture,
            $"HTTP/1.0 {status}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {bodyBytes.Length}\r\nConnection: close\r\n{extraHeaders}\r\n");
        return [.. Encoding.ASCII.GetBytes(head), .. bodyBytes];
    }
}
