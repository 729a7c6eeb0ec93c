using System.Globalization;
using System.Text.RegularExpressions;

namespace Tickets.Tests.Interop.Clients;

/// <summary>What a client saw on one connection offering an external PSK.</summary>
/// <param name="Completed">The handshake completed (and the page arrived).</param>
/// <param name="PskUsed">The server accepted a PSK: s_client's "Reused", gnutls-cli's "PSK authentication".</param>
/// <param name="KeyExchange">The ServerHello carried a key share: psk_dhe_ke (or a full handshake), not psk_ke.</param>
/// <param name="Tickets">NewSessionTicket messages received.</param>
/// <param name="Page">The --www / -www page, from "HTTP/1." on; empty when none came.</param>
/// <param name="Alert">The fatal alert the server sent, in RFC spelling; null when none.</param>
public sealed record PskRun(bool Completed, bool PskUsed, bool KeyExchange, int Tickets, string Page, string? Alert, ProcessResult Output)
{
    /// <summary>Whether the server asked for a client certificate.</summary>
    public bool CertificateRequested { get; init; }
}

/// <summary>
/// `openssl s_client -psk HEX -psk_identity ID` (OpenSSL 3.0: SSL_set_psk_use_session_callback with a
/// TLS_AES_128_GCM_SHA256 session, psk_dhe_ke), with -msg to count tickets and see the server's messages, and
/// -sess_out / -sess_in to resume the ticket such a connection gets.
/// </summary>
public static partial class OpenSslPskClient
{
    /// <summary>
    /// One connection. <paramref name="identity"/> and <paramref name="key"/> null: no -psk (a plain -sess_in
    /// resumption). The suite is TLS_AES_128_GCM_SHA256 only: s_server follows the client's order, and s_client lists
    /// TLS_AES_256_GCM_SHA384 first, whose hash the SHA-256 PSK cannot be used with (s_server would do a full handshake).
    /// </summary>
    public static async Task<PskRun> ConnectAsync(
        int port, string? identity, string? key, string? sessionIn = null, string? sessionOut = null, IEnumerable<string>? extra = null)
    {
        var arguments = new List<string>
        {
            "s_client", "-connect", $"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}", "-tls1_3", "-msg", "-ign_eof",
            "-ciphersuites", "TLS_AES_128_GCM_SHA256",
        };
        if (identity is not null && key is not null)
        {
            arguments.AddRange(["-psk", key, "-psk_identity", identity]);
        }

        if (sessionIn is not null)
        {
            arguments.AddRange(["-sess_in", sessionIn]);
        }

        if (sessionOut is not null)
        {
            arguments.AddRange(["-sess_out", sessionOut]);
        }

        arguments.AddRange(extra ?? []);
        var result = await ExternalProgram.RunAsync("openssl", arguments, OpenSslClient.Request, TimeSpan.FromSeconds(20));
        var lines = result.StandardOutput.Split('\n');
        bool Received(string type) => lines.Any(line => line.StartsWith("<<< TLS 1.3, Handshake", StringComparison.Ordinal) && line.TrimEnd().EndsWith(type, StringComparison.Ordinal));
        var pageStart = result.StandardOutput.IndexOf("HTTP/1.", StringComparison.Ordinal);
        var alert = ReceivedAlert().Match(result.StandardOutput);
        return new PskRun(
            Completed: pageStart >= 0,
            PskUsed: result.StandardOutput.Contains("Reused, TLSv1.3", StringComparison.Ordinal),
            KeyExchange: result.StandardOutput.Contains("Server Temp Key:", StringComparison.Ordinal),
            Tickets: lines.Count(line => line.StartsWith("<<< TLS 1.3, Handshake", StringComparison.Ordinal) && line.TrimEnd().EndsWith("NewSessionTicket", StringComparison.Ordinal)),
            Page: pageStart < 0 ? "" : result.StandardOutput[pageStart..],
            Alert: alert.Success ? alert.Groups[1].Value : null,
            Output: result)
        {
            CertificateRequested = Received("CertificateRequest"),
        };
    }

    [GeneratedRegex(@"<<< TLS 1\.3, Alert \[length 0002\], fatal (\w+)")]
    private static partial Regex ReceivedAlert();
}

/// <summary>
/// `gnutls-cli --pskusername ID --pskkey HEX` (gnutls 3.7.9) with a priority string choosing the PSK key exchanges it
/// offers: +ECDHE-PSK and +DHE-PSK are psk_dhe_ke, +PSK is psk_ke. With -d 4 it logs every NewSessionTicket and the
/// group the ServerHello selected ("Selected group"), which a psk_ke ServerHello has none of.
/// </summary>
public static class GnuTlsPskClient
{
    public static async Task<PskRun> ConnectAsync(int port, string identity, string key, string keyExchanges)
    {
        var arguments = new List<string>
        {
            "--insecure", "-d", "4", "-p", port.ToString(CultureInfo.InvariantCulture), "--pskusername", identity, "--pskkey", key,
            "--priority", $"NORMAL:-VERS-ALL:+VERS-TLS1.3:-KX-ALL:{keyExchanges}:-CIPHER-ALL:+AES-128-GCM", "127.0.0.1",
        };
        var result = await ExternalProgram.RunAsync("gnutls-cli", arguments, OpenSslClient.Request, TimeSpan.FromSeconds(20));
        var pageStart = result.StandardOutput.IndexOf("HTTP/1.", StringComparison.Ordinal);
        return new PskRun(
            Completed: result.StandardOutput.Contains("Handshake was completed", StringComparison.Ordinal) && pageStart >= 0,
            PskUsed: result.StandardOutput.Contains("- PSK authentication.", StringComparison.Ordinal),
            KeyExchange: result.StandardError.Contains("Selected group", StringComparison.Ordinal),
            Tickets: result.StandardError.Split('\n').Count(line => line.Contains("NEW SESSION TICKET (4) was received", StringComparison.Ordinal)),
            Page: pageStart < 0 ? "" : result.StandardOutput[pageStart..],
            Alert: null,
            Output: result);
    }
}
