using LanguageExt;
using Tickets.Core.Protocol;

namespace Tickets.Core.Negotiation;

/// <summary>
/// The outcome of negotiating one ClientHello. When <see cref="ClientKeyShare"/> is None the client
/// sent no usable share and the server must answer with a HelloRetryRequest for <see cref="Group"/>.
/// <see cref="SignatureScheme"/> is None only when the client offered a PSK without a usable
/// signature_algorithms entry: then only resumption can succeed. <see cref="OfferedPsks"/> is the
/// client's PSK offer whether or not its modes allow us to use it; <see cref="PskDheKeOffered"/> says
/// psk_dhe_ke, the only mode this server resumes with, was listed; <see cref="ClientOfferedPskModes"/>
/// says psk_key_exchange_modes was sent at all (a ticket is useless to the client otherwise).
/// </summary>
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
    public bool HelloRetryRequired => ClientKeyShare.IsNone;

    /// <summary>True when a PSK was offered in a mode this server accepts, i.e. resumption may be tried.</summary>
    public bool CanTryResumption => OfferedPsks.IsSome && PskDheKeOffered;
}
