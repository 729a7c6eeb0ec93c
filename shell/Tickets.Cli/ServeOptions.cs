using System.Net;
using Tickets.Shell;

namespace Tickets.Cli;

/// <summary>Everything `tickets serve` was asked to do, already validated by <see cref="ArgumentParser"/>.</summary>
/// <param name="Address">Address to listen on (127.0.0.1 unless --host says otherwise).</param>
/// <param name="Port">TCP port; 0 lets the operating system choose (the start line reports the real one).</param>
/// <param name="CertificatePath">PEM file with the leaf certificate first and any chain certificates after it.</param>
/// <param name="KeyPath">PEM file with the leaf's private key.</param>
/// <param name="NumTickets">--num-tickets; null keeps the context default (2, as OpenSSL).</param>
/// <param name="SessionTimeoutSeconds">--session-timeout; null keeps the context default (7200 s).</param>
/// <param name="Www">Answer HTTP GETs with a status page instead of echoing.</param>
/// <param name="Quiet">Suppress per-connection lines (start lines stay: scripts wait for them).</param>
internal sealed record ServeOptions(
    IPAddress Address,
    int Port,
    string? CertificatePath,
    string? KeyPath,
    int? NumTickets,
    uint? SessionTimeoutSeconds,
    bool Www,
    bool Quiet)
{
    public const int DefaultPort = 4433;

    /// <summary>--trace: print every record and handshake message of every connection, dissected.</summary>
    public bool Trace { get; init; }

    /// <summary>--trace-secrets: the trace also shows traffic secrets (implies --trace); for a lab only.</summary>
    public bool TraceSecrets { get; init; }

    /// <summary>--verify asks for a client certificate in full handshakes, --Verify requires one.</summary>
    public ClientCertificateMode ClientCertificates { get; init; } = ClientCertificateMode.None;

    /// <summary>--ca: PEM file of the CAs client certificate chains must end in.</summary>
    public string? CaPath { get; init; }

    /// <summary>--pha-path: with --www, a GET for this path is answered only after post-handshake authentication.</summary>
    public string? PhaPath { get; init; }

    public static ServeOptions Defaults { get; } =
        new(IPAddress.Loopback, DefaultPort, null, null, null, null, Www: false, Quiet: false);
}
