namespace Tickets.Core.Protocol;

/// <summary>
/// PSK key exchange modes (RFC 8446 §4.2.9). This server uses psk_dhe_ke, and psk_ke only where the operator allows
/// it and the client offers nothing else (see <see cref="Policy.ResumptionPolicy.KeyExchangeMode"/>).
/// </summary>
public enum PskKeyExchangeMode : byte
{
    /// <summary>
    /// psk_ke: the PSK alone keys the connection, without (EC)DHE and so without forward secrecy. Accepted only where the
    /// operator allows it (<see cref="Negotiation.ServerPreferences.AllowPskWithoutKeyExchange"/>,
    /// <see cref="Policy.ResumptionSettings.AllowPskWithoutKeyExchange"/>) and the client offers no usable psk_dhe_ke.
    /// </summary>
    psk_ke = 0,

    /// <summary>psk_dhe_ke: the PSK and a fresh (EC)DHE exchange together key the connection; always accepted.</summary>
    psk_dhe_ke = 1,
}
