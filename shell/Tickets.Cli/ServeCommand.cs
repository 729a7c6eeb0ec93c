using System.Net;
using System.Net.Sockets;
using Tickets.Shell;
using Tickets.Shell.Trace;

namespace Tickets.Cli;

/// <summary>`tickets serve`: provision the certificate, configure the context, listen, serve until stopped.</summary>
internal static class ServeCommand
{
    /// <summary>What --www negotiates by ALPN: the page is HTTP/1.x, and curl would switch to HTTP/2 if offered "h2".</summary>
    private static readonly string[] WwwProtocols = ["http/1.1"];

    public static async Task<int> RunAsync(ServeOptions options, ServeLog log, TextWriter errors, CancellationToken stop)
    {
        using var certificate = ProvideCertificate(options, errors);
        if (certificate is null)
        {
            return ExitCodes.Failure;
        }

        using var context = new TicketServerContext(certificate.Leaf, certificate.Chain);
        if (options.NumTickets is { } count && context.SetNumTickets(count).IsFail)
        {
            // The parser already refuses negative counts; this only guards against the two disagreeing.
            Usage.WriteError(errors, $"--num-tickets {count} was refused");
            return ExitCodes.Usage;
        }

        if (options.SessionTimeoutSeconds is { } timeout)
        {
            context.SessionTimeoutSeconds = timeout;
        }

        if (options.Www)
        {
            context.ApplicationProtocols = WwwProtocols;
        }

        context.TraceTrafficSecrets = options.TraceSecrets;

        var endpoint = new IPEndPoint(options.Address, options.Port);
        var listener = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            listener.Bind(endpoint);
            listener.Listen(512);
        }
        catch (SocketException error)
        {
            listener.Dispose();
            errors.WriteLine($"tickets: cannot listen on {endpoint}: {error.Message}");
            return ExitCodes.Failure;
        }

        log.Status($"certificate {certificate.Origin}");
        log.Status($"certificate sha256 fingerprint {certificate.Sha256Fingerprint}");
        log.Status($"num-tickets {context.GetNumTickets()}, session timeout {context.SessionTimeoutSeconds} s, {(options.Www ? "www" : "echo")} mode");
        if (options.TraceSecrets)
        {
            log.Status($"--trace-secrets: traffic secrets will be printed, {TraceTextWriter.SecretWarning}");
        }
        // Last start line on purpose: once it is out, everything above is too and clients can connect.
        log.Status($"listening on {listener.LocalEndPoint}");

        await AcceptLoop.RunAsync(listener, new ConnectionHandler(context, log, options.Www, options.Trace), stop);
        log.Status("stopped");
        return ExitCodes.Ok;
    }

    private static ServerCertificate? ProvideCertificate(ServeOptions options, TextWriter errors)
    {
        if (options is { CertificatePath: { } certificatePath, KeyPath: { } keyPath })
        {
            var (certificate, problem) = PemCertificateLoader.Load(certificatePath, keyPath);
            if (certificate is null)
            {
                errors.WriteLine($"tickets: {problem}");
            }

            return certificate;
        }

        return DefaultCertificate.LoadOrCreate();
    }
}
