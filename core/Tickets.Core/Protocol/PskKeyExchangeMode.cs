namespace Tickets.Core.Protocol;

/// <summary>
/// PSK key exchange modes (RFC 8446 §4.2.9). This server uses psk_dhe_ke, and psk_ke only where the operator allows
/// it and the client offers nothing else (see <see cref="Policy.ResumptionPolicy.KeyExchangeMode"/>).
/// </summary>
public enum PskKeyExchangeMode : byte
{
    /// <summary>The PSK alone keys the connection: no (EC)DHE, so no forward secrecy.</summary>
    psk_ke = 0,

    /// <summary>The PSK and a fresh (EC)DHE exchange together key the connection.</summary>
    psk_dhe_ke = 1,
}
