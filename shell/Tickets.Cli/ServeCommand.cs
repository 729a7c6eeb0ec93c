using System.Net;
using System.Net.Sockets;
using Tickets;
using Tickets.Trace;

namespace Tickets.Cli;

/// <summary>`tickets serve`: provision the certificate, configure the context, listen, serve until stopped.</summary>
internal static class ServeCommand
{
    /// <summary>What --www negotiates by ALPN: the page is HTTP/1.x, and curl would switch to HTTP/2 if offered "h2".</summary>
    private static readonly string[] WwwProtocols = ["http/1.1"];

    /// <summary>
    /// Serves until <paramref name="stop"/> or a 'q' command. <paramref name="commands"/> is standard input, read for
    /// s_server-style commands; null reads none.
    /// </summary>
    public static async Task<int> RunAsync(ServeOptions options, ServeLog log, TextWriter errors, CancellationToken stop, TextReader? commands = null)
    {
        try
        {
            return await ServeAsync(options, log, errors, stop, commands);
        }
        finally
        {
            // The context wiped its own copy when it was disposed; this is the parsed --psk, on every way out.
            PskFlags.Wipe(options);
        }
    }

    private static async Task<int> ServeAsync(ServeOptions options, ServeLog log, TextWriter errors, CancellationToken stop, TextReader? commands)
    {
        using var certificate = ProvideCertificate(options, errors);
        if (certificate is null)
        {
            return ExitCodes.Failure;
        }

        var (created, refused) = certificate.CreateContext();
        if (created is null)
        {
            errors.WriteLine($"tickets: {refused}");
            return ExitCodes.Failure;
        }

        using var context = created;
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

        if (options.Groups is { } groups)
        {
            // The parser only accepts names of groups the server implements, so this cannot throw.
            context.Groups = groups;
        }

        context.TraceTrafficSecrets = options.TraceSecrets;
        context.MaxHandshakeMessageLength = options.MaxHandshakeMessage;
        context.WriteTimeout = options.WriteTimeout;
        context.ClientCertificateMode = options.ClientCertificates;
        if (options.CaPath is { } caPath)
        {
            var (authorities, problem) = PemCertificateLoader.LoadAuthorities(caPath);
            if (authorities is null)
            {
                errors.WriteLine($"tickets: {problem}");
                return ExitCodes.Failure;
            }

            context.ClientCertificateAuthorities = authorities;
        }

        PskFlags.Apply(options, context);
        if (!TicketSettings.Apply(options, context, errors))
        {
            return ExitCodes.Failure;
        }

        var tickets = await ServeTicketStore.UseAsync(options, context, log, errors);
        if (tickets is null)
        {
            return ExitCodes.Failure;
        }

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

        using var keyLog = OpenKeyLog(options, errors);
        if (options.KeyLogPath is not null && keyLog is null)
        {
            listener.Dispose();
            return ExitCodes.Failure;
        }

        context.KeyLogWriter = keyLog;
        log.Status($"certificate {certificate.Origin}");
        log.Status($"certificate sha256 fingerprint {certificate.Sha256Fingerprint}");
        log.Status($"num-tickets {context.GetNumTickets()}, session timeout {context.SessionTimeoutSeconds} s, {(options.Www ? "www" : "echo")} mode");
        log.Status($"client certificates: {ClientCertificateSummary(options, context)}");
        log.Status($"groups {string.Join(':', context.Groups.Select(Tickets.Core.Negotiation.GroupNames.Name))}, certificate key {context.CertificateKeyDescription}");
        log.Status(TicketSettings.Describe(context, tickets));
        // The key is wiped by now; its length, which is not secret, is still the array's.
        if (PskFlags.Describe(options, options.PskKey?.Length) is { } psk)
        {
            log.Status(psk);
        }

        log.Status($"limits: handshake timeout {options.HandshakeTimeout.TotalSeconds:0} s, max connections {options.MaxConnections}, idle timeout {options.IdleTimeout.TotalSeconds:0} s, write timeout {options.WriteTimeout.TotalSeconds:0} s, max handshake message {options.MaxHandshakeMessage} bytes");
        if (keyLog is not null)
        {
            // Loud on purpose: the file decrypts every connection, which is only ever wanted while debugging.
            log.Status($"keylog {options.KeyLogPath}: connection secrets are being written (debugging only)");
        }

        if (options.TraceSecrets)
        {
            log.Status($"--trace-secrets: traffic secrets will be printed, {TraceTextWriter.SecretWarning}");
        }

        if (tickets.Status(options) is { } status)
        {
            log.Status(status);
        }

        // Last start line on purpose: once it is out, everything above is too and clients can connect.
        log.Status($"listening on {listener.LocalEndPoint}");

        // 'q' on standard input stops the server just as a signal does.
        using var quit = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var connections = new OpenConnections();
        if (commands is not null)
        {
            // Not awaited: a read blocked on a terminal must not keep the server from stopping.
            _ = new CommandConsole(context, connections, log, quit).RunAsync(commands, quit.Token);
        }

        var handler = new ConnectionHandler(context, log, options.Www, connections, options.PhaPath, options.Trace)
        {
            HandshakeTimeout = options.HandshakeTimeout,
            IdleTimeout = options.IdleTimeout,
        };
        await AcceptLoop.RunAsync(listener, handler, options.MaxConnections, quit.Token);
        log.Status("stopped");
        return ExitCodes.Ok;
    }

    private static string ClientCertificateSummary(ServeOptions options, TicketServerContext context)
    {
        var mode = options.ClientCertificates switch
        {
            ClientCertificateMode.Request => "requested in full handshakes (--verify)",
            ClientCertificateMode.Require => "required in full handshakes (--Verify)",
            _ => "not requested in handshakes",
        };
        var pha = options.PhaPath is { } path ? $", post-handshake for GET {path}" : "";
        return $"{mode}, {context.ClientCertificateAuthorities.Count} trusted CA(s){pha}";
    }

    /// <summary>
    /// The --keylog file, opened for appending (several runs can share one file, as with SSLKEYLOGFILE) and created
    /// readable by its owner only, since its lines decrypt traffic. Null without --keylog, or when it cannot be
    /// opened (reported on stderr).
    /// </summary>
    private static StreamWriter? OpenKeyLog(ServeOptions options, TextWriter errors)
    {
        if (options.KeyLogPath is not { } path)
        {
            return null;
        }

        try
        {
            var fileOptions = new FileStreamOptions { Mode = FileMode.Append, Access = FileAccess.Write, Share = FileShare.Read };
            if (!OperatingSystem.IsWindows())
            {
                fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            var file = new FileStream(path, fileOptions);
            // The engine flushes after every line too; AutoFlush keeps that true whoever writes next.
            return new StreamWriter(file) { AutoFlush = true };
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            errors.WriteLine($"tickets: cannot open key log file {path}: {error.Message}");
            return null;
        }
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
