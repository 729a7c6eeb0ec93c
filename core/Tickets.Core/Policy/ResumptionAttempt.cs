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
    Seq<OfferedIdentity> Offered)
{
    /// <summary>
    /// The modes of the ClientHello's psk_key_exchange_modes (RFC 8446 §4.2.9), in its order. Unless set: psk_dhe_ke
    /// alone, which is what every client offers by default.
    /// </summary>
    public Seq<PskKeyExchangeMode> OfferedModes { get; init; } = Prelude.Seq1(PskKeyExchangeMode.psk_dhe_ke);

    /// <summary>
    /// Whether the ClientHello makes an (EC)DHE exchange possible (it carries supported_groups and key_share). When it
    /// does not, psk_dhe_ke cannot be used even if listed, and only psk_ke remains. True unless set.
    /// </summary>
    public bool ClientOffersKeyExchange { get; init; } = true;

    /// <summary>The same attempt with identity <paramref name="index"/> marked spent (see <see cref="OfferedTicket.Spent"/>).</summary>
    /// <exception cref="ArgumentException">The identity is an external PSK, which is never spent.</exception>
    public ResumptionAttempt Spend(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Offered.Count);
        if (Offered[index] is not OfferedTicket)
        {
            throw new ArgumentException($"Identity {index} is an external PSK: only tickets are spent.", nameof(index));
        }

        return this with
        {
            Offered = Prelude.toSeq(Offered.Select((identity, i) =>
                i == index && identity is OfferedTicket ticket ? ticket with { Spent = true } : identity).ToArray()),
        };
    }
}
