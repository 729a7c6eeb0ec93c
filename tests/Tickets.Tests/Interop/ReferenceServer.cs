using System.Globalization;

namespace Tickets.Tests.Interop;

/// <summary>
/// `openssl s_server -tls1_3 -num_tickets N -www`: OpenSSL 3.0 behaves as the reference, so running a client
/// scenario against it first proves the client harness counts tickets and detects resumption correctly.
/// </summary>
public sealed class ReferenceServer : TlsServer
{
    private ReferenceServer(ServerProcess process, int port)
        : base(process, port)
    {
    }

    public override ServerKind Kind => ServerKind.OpenSslReference;

    /// <summary>Starts s_server with the ticket count (null: its default) and <paramref name="extraArguments"/> after the usual ones.</summary>
    public static async Task<ReferenceServer> StartAsync(int? numTickets, IEnumerable<string>? extraArguments = null)
    {
        // s_server cannot report a kernel-chosen port, so probe one; if someone grabs it first, try another.
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort.Next();
            var certificates = TestCertificates.Instance;
            var arguments = new List<string>
            {
                "s_server", "-tls1_3", "-www", "-accept", port.ToString(CultureInfo.InvariantCulture),
                "-cert", certificates.LeafPem, "-key", certificates.KeyPem,
            };
            if (numTickets is { } count)
            {
                arguments.AddRange(["-num_tickets", count.ToString(CultureInfo.InvariantCulture)]);
            }

            arguments.AddRange(extraArguments ?? []);

            var process = ServerProcess.Start("openssl", arguments);
            try
            {
                await process.WaitForLineAsync(line => line == "ACCEPT", StartTimeout);
                return new ReferenceServer(process, port);
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
                // Exited before ACCEPT: most likely the port was taken in between. Retry with a new one.
                await process.DisposeAsync();
            }
            catch
            {
                await process.DisposeAsync();
                throw;
            }
        }
    }
}
