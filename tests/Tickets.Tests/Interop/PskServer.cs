using System.Globalization;
using Tickets.Tests.Interop.PostHandshake;

namespace Tickets.Tests.Interop;

/// <summary>
/// A server with one external PSK, in --www / -www mode: `tickets serve --psk HEX --psk-identity ID` or
/// `openssl s_server -psk HEX -psk_identity ID`, the same certificate for both, optionally psk_ke allowed
/// (--allow-psk-ke / -allow_no_dhe_kex) and client certificates required (--Verify --ca / -Verify 1 -CAfile).
/// </summary>
public static class PskServer
{
    public const string Identity = "Client_identity";

    /// <summary>32 bytes, as `openssl rand -hex 32` gives.</summary>
    public const string Key = "7f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0";

    public static async Task<TlsServer> StartAsync(ServerKind kind, int? numTickets = null, bool allowPskKe = false, bool requireClientCertificates = false)
    {
        var certificates = TestCertificates.Instance;
        var clients = ClientCertificateFiles.Instance;
        if (kind == ServerKind.OpenSslReference)
        {
            var extra = new List<string> { "-psk", Key, "-psk_identity", Identity };
            if (allowPskKe)
            {
                extra.Add("-allow_no_dhe_kex");
            }

            if (requireClientCertificates)
            {
                extra.AddRange(["-Verify", "1", "-verify_return_error", "-CAfile", clients.CaPem]);
            }

            return await ReferenceServer.StartAsync(numTickets, extra);
        }

        var arguments = new List<string>
        {
            "--port", "0", "--www", "--cert", certificates.LeafPem, "--key", certificates.KeyPem, "--psk", Key, "--psk-identity", Identity,
        };
        if (numTickets is { } count)
        {
            arguments.AddRange(["--num-tickets", count.ToString(CultureInfo.InvariantCulture)]);
        }

        if (allowPskKe)
        {
            arguments.Add("--allow-psk-ke");
        }

        if (requireClientCertificates)
        {
            arguments.AddRange(["--Verify", "--ca", clients.CaPem]);
        }

        return await TicketsServer.StartAsync(arguments);
    }
}
