using LanguageExt;
using Tickets.Core.Protocol;

namespace Tickets.Core.Negotiation;

/// <summary>
/// The outcome of negotiating one ClientHello. When <see cref="ClientKeyShare"/> is None the client
/// sent no usable share and the server must answer with a HelloRetryRequest for <see cref="Group"/>, unless the client
/// sent no key exchange at all (<see cref="OffersKeyExchange"/> false): then only a PSK in psk_ke mode can succeed.
/// <see cref="SignatureScheme"/> is None only when the client offered a PSK without a usable
/// signature_algorithms entry: then only a PSK handshake can succeed. <see cref="OfferedPsks"/> is the
/// client's PSK offer whether or not its modes allow us to use it; <see cref="PskDheKeOffered"/> says
/// psk_dhe_ke was listed; <see cref="ClientOfferedPskModes"/>
/// says psk_key_exchange_modes was sent at all (a ticket is useless to the client otherwise).
/// </summary>
/// <param name="Version">The protocol version: always TLS 1.3 (0x0304).</param>
/// <param name="CipherSuite">The suite chosen.</param>
/// <param name="Group">The key exchange group chosen; the one a HelloRetryRequest asks for when no share fits.</param>
/// <param name="ClientKeyShare">The client's share in <paramref name="Group"/>, if it sent one.</param>
/// <param name="SignatureScheme">The scheme the server signs with; none only when a PSK may still avoid signing.</param>
/// <param name="ApplicationProtocol">The ALPN protocol chosen, if both sides use ALPN.</param>
/// <param name="ServerName">The client's server_name, if it sent one.</param>
/// <param name="OfferedPsks">The client's pre_shared_key offer, if it made one.</param>
/// <param name="PskDheKeOffered">Whether psk_dhe_ke, the mode every server accepts (and the only one unless psk_ke is allowed), was listed.</param>
/// <param name="ClientOfferedPskModes">Whether psk_key_exchange_modes was sent at all.</param>
/// <param name="PostHandshakeAuth">Whether the client accepts post-handshake authentication.</param>
public sealed record Negotiation(
    ushort Version,
    CipherSuite CipherSuite,
    NamedGroup Group,
    Option<KeyShareEntry> ClientKeyShare,
    Option<SignatureScheme> SignatureScheme,
    Option<string> ApplicationProtocol,
    Option<string> ServerName,
    Option<OfferedPsks> OfferedPsks,
    bool PskDheKeOffered,
    bool ClientOfferedPskModes,
    bool PostHandshakeAuth)
{
    /// <summary>
    /// False when the client sent neither supported_groups nor key_share and offered a PSK in psk_ke mode, which the
    /// server allows: no (EC)DHE is possible, <see cref="Group"/> means nothing, and the handshake succeeds only if a
    /// PSK is used without key exchange.
    /// </summary>
    public bool OffersKeyExchange { get; init; } = true;

    /// <summary>Whether psk_ke (a PSK without (EC)DHE) was among the client's psk_key_exchange_modes.</summary>
    public bool PskKeOffered { get; init; }

    /// <summary>The client offered groups but no share in one we take: a HelloRetryRequest asks for <see cref="Group"/>.</summary>
    public bool HelloRetryRequired => OffersKeyExchange && ClientKeyShare.IsNone;

    /// <summary>True when a PSK was offered with psk_dhe_ke, the mode every server accepts, i.e. resumption may be tried.</summary>
    public bool CanTryResumption => OfferedPsks.IsSome && PskDheKeOffered;
}
