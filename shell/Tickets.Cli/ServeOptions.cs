using System.Net;

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

    /// <summary>A client gets this long from its first byte to its Finished; a stalled one then loses its slot.</summary>
    public static readonly TimeSpan DefaultHandshakeTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Connections served at once. Half the usual 1024 descriptor soft limit, so the server never runs out of
    /// descriptors before it reaches its own limit; raise both together.
    /// </summary>
    public const int DefaultMaxConnections = 512;

    /// <summary>An established connection that sends nothing for this long is closed (echo mode; --www has its own 30 s).</summary>
    public static readonly TimeSpan DefaultIdleTimeout = TimeSpan.FromSeconds(300);

    /// <summary>--handshake-timeout.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = DefaultHandshakeTimeout;

    /// <summary>--max-connections: connections beyond it are accepted and closed at once, with one log line.</summary>
    public int MaxConnections { get; init; } = DefaultMaxConnections;

    /// <summary>--idle-timeout.</summary>
    public TimeSpan IdleTimeout { get; init; } = DefaultIdleTimeout;

    /// <summary>--keylog: append the connection secrets here in the NSS key log format; null (the default) writes none.</summary>
    public string? KeyLogPath { get; init; }

    public static ServeOptions Defaults { get; } =
        new(IPAddress.Loopback, DefaultPort, null, null, null, null, Www: false, Quiet: false);
}
