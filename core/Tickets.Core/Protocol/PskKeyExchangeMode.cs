namespace Tickets.Core.Protocol;

/// <summary>PSK key exchange modes (RFC 8446 §4.2.9). This server resumes only with psk_dhe_ke.</summary>
public enum PskKeyExchangeMode : byte
{
    psk_ke = 0,
    psk_dhe_ke = 1,
}
