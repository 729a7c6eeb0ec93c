using LanguageExt;

namespace Tickets.Core.Model;

/// <summary>
/// The server-wide ticket settings, what OpenSSL keeps in an SSL_CTX. Immutable: every change returns a new value,
/// so a connection created earlier keeps the count it copied (rule 2).
/// </summary>
/// <remarks>
/// <c>new Context()</c> equals <see cref="Default"/>: the property initialisers carry OpenSSL's defaults, so no
/// construction path yields a context with a zero timeout by accident.
/// </remarks>
public sealed record Context
{
    /// <summary>OpenSSL's default number of tickets after a full handshake.</summary>
    public const int DefaultNumTickets = 2;

    /// <summary>OpenSSL's default session timeout (SSL_CTX_set_timeout), which becomes the ticket lifetime.</summary>
    public const uint DefaultSessionTimeoutSeconds = 7200;

    /// <summary>RFC 8446 §4.6.1: servers MUST NOT use a ticket_lifetime above seven days.</summary>
    public const uint MaxTicketLifetimeSeconds = 604800;

    /// <summary>
    /// The most tickets a client's ticket_request (RFC 9149) can obtain after one handshake or authentication.
    /// OpenSSL has no such setting. Eight covers a client racing a handful of parallel connections, each needing its
    /// own ticket (RFC 9149 §3), while bounding the signing work one ClientHello can ask for, which the RFC asks servers
    /// to limit.
    /// </summary>
    public const int DefaultMaxTicketRequest = 8;

    /// <summary>The context every new server starts from.</summary>
    public static Context Default { get; } = new();

    /// <summary>Tickets to send after a full handshake. Set it through <see cref="SetNumTickets"/> to keep it non-negative.</summary>
    public int NumTickets { get; init; } = DefaultNumTickets;

    /// <summary>How long a session stays resumable; the ticket lifetime is this, clamped.</summary>
    public uint SessionTimeoutSeconds { get; init; } = DefaultSessionTimeoutSeconds;

    /// <summary>Self-contained or cache-backed tickets; does not change how many are issued.</summary>
    public TicketMode TicketMode { get; init; } = TicketMode.Stateless;

    /// <summary>
    /// When on, no ticket is issued on a connection whose client sent no psk_key_exchange_modes (RFC 8446 §4.2.9).
    /// Off by default because OpenSSL issues tickets regardless (rule 7).
    /// </summary>
    public bool StrictPskModes { get; init; }

    /// <summary>
    /// The cap on what a client's ticket_request can obtain; see <see cref="Policy.TicketPolicy"/> for how a request
    /// feeds the decision. Zero means a client that asks gets no tickets at all; set it through
    /// <see cref="SetMaxTicketRequest"/> to keep it non-negative.
    /// </summary>
    public int MaxTicketRequest { get; init; } = DefaultMaxTicketRequest;

    /// <summary>The lifetime every ticket gets: the session timeout, never above seven days (rule 10).</summary>
    public uint TicketLifetimeSeconds => Math.Min(SessionTimeoutSeconds, MaxTicketLifetimeSeconds);

    /// <summary>
    /// SSL_CTX_set_num_tickets: any count from zero up is accepted, without a cap; a negative one fails with
    /// <see cref="TicketErrors.NegativeCount"/> and, the context being immutable, nothing changes (rule 1).
    /// </summary>
    public Fin<Context> SetNumTickets(int count) =>
        count < 0
            ? Fin<Context>.Fail(TicketErrors.NegativeCount)
            : Fin<Context>.Succ(this with { NumTickets = count });

    /// <summary>
    /// Sets the cap on ticket_request counts. Negative fails with <see cref="TicketErrors.NegativeTicketRequestLimit"/>
    /// and nothing changes, mirroring <see cref="SetNumTickets"/>.
    /// </summary>
    public Fin<Context> SetMaxTicketRequest(int max) =>
        max < 0
            ? Fin<Context>.Fail(TicketErrors.NegativeTicketRequestLimit)
            : Fin<Context>.Succ(this with { MaxTicketRequest = max });

    /// <summary>SSL_CTX_get_num_tickets: the last count set, else 2.</summary>
    public int GetNumTickets() => NumTickets;

    /// <summary>SSL_CTX_set_timeout for sessions; the lifetime clamp is applied when tickets are issued.</summary>
    public Context WithSessionTimeout(uint seconds) => this with { SessionTimeoutSeconds = seconds };

    /// <summary>Chooses stateless or stateful tickets.</summary>
    public Context WithTicketMode(TicketMode mode) => this with { TicketMode = mode };

    /// <summary>Turns RFC 8446 §4.2.9 strictness on or off.</summary>
    public Context WithStrictPskModes(bool strict) => this with { StrictPskModes = strict };
}
