namespace Tickets.Core.Protocol;

/// <summary>PSK key exchange modes (RFC 8446 §4.2.9). This server resumes only with psk_dhe_ke.</summary>
public enum PskKeyExchangeMode : byte
{
    /// <summary>psk_ke: resumption with the PSK alone, without forward secrecy (never accepted here).</summary>
    psk_ke = 0,

    /// <summary>psk_dhe_ke: resumption with the PSK and an (EC)DHE exchange.</summary>
    psk_dhe_ke = 1,
}
