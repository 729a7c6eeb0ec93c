using LanguageExt;
using Tickets.Core.Model;
using Tickets.Core.Protocol;

namespace Tickets.Core.Policy;

/// <summary>
/// One identity of the client's pre_shared_key, as the shell found it: a ticket (<see cref="OfferedTicket"/>) or one of
/// the server's external PSKs (<see cref="OfferedExternalPsk"/>). Closed: the two records are the only cases, and
/// <see cref="Match{R}"/> makes every caller handle both.
/// </summary>
/// <remarks>
/// The wire does not say which kind an identity is. The shell asks the server's external PSK lookup first, as OpenSSL
/// asks its find-session callback before decrypting a ticket; an identity the lookup does not know is a ticket, which
/// may or may not open.
/// </remarks>
public abstract record OfferedIdentity
{
    private protected OfferedIdentity()
    {
    }

    /// <summary>Calls the function for this case.</summary>
    public abstract R Match<R>(Func<OfferedTicket, R> ticket, Func<OfferedExternalPsk, R> externalPsk);
}

/// <summary>A ticket identity, and the session it opened to, if it did.</summary>
/// <param name="ObfuscatedTicketAge">The identity's obfuscated_ticket_age (RFC 8446 §4.2.11).</param>
/// <param name="Session">The session its ticket opened to; none when it did not open or was not opened.</param>
public sealed record OfferedTicket(uint ObfuscatedTicketAge, Option<ResumableSession> Session) : OfferedIdentity
{
    /// <summary>
    /// Set by the shell when this single-use ticket was chosen, its binder verified, and spending it failed: some
    /// connection resumed with it before. The decision then moves on to the next usable identity.
    /// </summary>
    public bool Spent { get; init; }

    /// <inheritdoc />
    public override R Match<R>(Func<OfferedTicket, R> ticket, Func<OfferedExternalPsk, R> externalPsk) => ticket(this);
}

/// <summary>
/// An identity the server's external PSK lookup knows (≈ OpenSSL's SSL_CTX_set_psk_find_session_callback found a
/// session for it). The key stays in the shell; the core only needs the hash the PSK is bound to. Its
/// obfuscated_ticket_age means nothing (RFC 8446 §4.2.11: a client SHOULD send 0 and the server ignores it), so it is
/// not carried.
/// </summary>
/// <param name="Hash">The hash the PSK is bound to: it can only be used with a suite of that hash.</param>
public sealed record OfferedExternalPsk(HandshakeHash Hash) : OfferedIdentity
{
    /// <inheritdoc />
    public override R Match<R>(Func<OfferedTicket, R> ticket, Func<OfferedExternalPsk, R> externalPsk) => externalPsk(this);
}
