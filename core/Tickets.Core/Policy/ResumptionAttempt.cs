using LanguageExt;
using Tickets.Core.Protocol;

namespace Tickets.Core.Policy;

/// <summary>
/// The client's side of a resumption decision: what this ClientHello negotiated, the identities it offered, and the
/// time on the server's clock (the core reads no clock).
/// </summary>
/// <param name="CipherSuite">The suite negotiated for this handshake; a PSK must belong to its hash.</param>
/// <param name="ServerName">This ClientHello's server_name, none when it sent none (an IP address, say).</param>
/// <param name="ApplicationProtocol">The ALPN protocol chosen for this ClientHello, none when none was.</param>
/// <param name="NowMilliseconds">Now, in Unix milliseconds on the clock the tickets' issue times use.</param>
/// <param name="Offered">The offered identities, in the client's order.</param>
public sealed record ResumptionAttempt(
    CipherSuite CipherSuite,
    Option<string> ServerName,
    Option<string> ApplicationProtocol,
    long NowMilliseconds,
    Seq<OfferedTicket> Offered)
{
    /// <summary>The same attempt with identity <paramref name="index"/> marked spent (see <see cref="OfferedTicket.Spent"/>).</summary>
    public ResumptionAttempt Spend(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Offered.Count);
        return this with { Offered = Prelude.toSeq(Offered.Select((ticket, i) => i == index ? ticket with { Spent = true } : ticket).ToArray()) };
    }
}
