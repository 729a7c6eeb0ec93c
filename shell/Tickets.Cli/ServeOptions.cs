using System.Net;
using Tickets;

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

    /// <summary>--ticket-keys: a key file shared by a fleet, followed while running; null: own random keys.</summary>
    public string? TicketKeysPath { get; init; }

    /// <summary>--ticket-key-rotation: seconds between the own keys' rotations, 0 never; null keeps 12 hours.</summary>
    public uint? TicketKeyRotationSeconds { get; init; }

    /// <summary>--single-use-tickets: each ticket resumes at most once.</summary>
    public bool SingleUseTickets { get; init; }

    /// <summary>--resume-any-server-name: a ticket resumes whatever server name the client sends now.</summary>
    public bool ResumeAnyServerName { get; init; }

    /// <summary>--no-ticket (SSL_OP_NO_TICKET): stateful tickets, ids into a server-side session cache.</summary>
    public bool StatefulTickets { get; init; }

    /// <summary>--session-cache-size: the most sessions stateful mode keeps; null keeps 20480.</summary>
    public int? SessionCacheSize { get; init; }

    /// <summary>--session-cache-bytes: the most bytes the stateful cache holds; null keeps 64 MiB.</summary>
    public long? SessionCacheBytes { get; init; }

    /// <summary>--max-ticket-request: the cap on what an RFC 9149 ticket_request obtains; null keeps 8.</summary>
    public int? MaxTicketRequest { get; init; }

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

    /// <summary>--write-timeout: the longest a write may wait for the client to take our bytes before it is dropped (60 s).</summary>
    public TimeSpan WriteTimeout { get; init; } = TicketServerContext.DefaultWriteTimeout;

    /// <summary>--max-handshake-message: the longest handshake message a client may send, in bytes (128 KiB).</summary>
    public int MaxHandshakeMessage { get; init; } = Tickets.Core.Protocol.HandshakeReassembler.DefaultMaxMessageLength;

    /// <summary>--groups: the key exchange groups, most preferred first; null keeps the context default.</summary>
    public IReadOnlyList<Tickets.Core.Protocol.NamedGroup>? Groups { get; init; }

    /// <summary>--keylog: append the connection secrets here in the NSS key log format; null (the default) writes none.</summary>
    public string? KeyLogPath { get; init; }

    /// <summary>--redis HOST:PORT: join a fleet sharing sessions, single use and ticket keys through this Redis.</summary>
    public string? RedisEndpoint { get; init; }

    /// <summary>--fleet-kek-file: the fleet's key-encryption key; without it, $TICKETS_FLEET_KEK.</summary>
    public string? FleetKekPath { get; init; }

    /// <summary>--fleet-poll: seconds between reads of the fleet's key ring (besides pub/sub); null keeps 5.</summary>
    public int? FleetPollSeconds { get; init; }

    /// <summary>--redis-timeout: the longest one Redis operation may take before falling back; null keeps 500 ms.</summary>
    public int? RedisTimeoutMilliseconds { get; init; }

    /// <summary>--redis-password-file: a file whose first line is the Redis password; without it, $TICKETS_REDIS_PASSWORD.</summary>
    public string? RedisPasswordPath { get; init; }

    /// <summary>--redis-user: the Redis ACL user to log in as; null: the default user.</summary>
    public string? RedisUser { get; init; }

    /// <summary>--psk: an external PSK's key, secret; wiped once the context holds its copy (<see cref="PskFlags.Apply(ServeOptions, TicketServerContext)"/>).</summary>
    public byte[]? PskKey { get; init; }

    /// <summary>--psk-identity: the identity of the --psk key; null: s_server's "Client_identity".</summary>
    public string? PskIdentity { get; init; }

    /// <summary>--psk-hash: the hash the --psk key is bound to; null: SHA-256.</summary>
    public Tickets.Core.Protocol.HandshakeHash? PskHash { get; init; }

    /// <summary>--allow-psk-ke: a client offering only psk_ke may use a PSK without (EC)DHE.</summary>
    public bool AllowPskKe { get; init; }

    public static ServeOptions Defaults { get; } =
        new(IPAddress.Loopback, DefaultPort, null, null, null, null, Www: false, Quiet: false);
}
