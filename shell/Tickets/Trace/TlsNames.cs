using System.Globalization;
using Tickets.Core.Protocol;

namespace Tickets.Trace;

/// <summary>
/// The names a reader meets in RFC 8446 and the IANA registries, for code points that arrive as plain numbers.
/// A dissector must never refuse a value, so every function answers: the registry name when we know it,
/// "GREASE" for the reserved values clients send to keep servers tolerant (RFC 8701), otherwise the number.
/// </summary>
internal static class TlsNames
{
    /// <summary>
    /// RFC 8701 reserves 0x0A0A, 0x1A1A, ... 0xFAFA for 16-bit code points: both bytes equal, low nibble A.
    /// </summary>
    public static bool IsGrease(ushort value) => (value & 0x0F0F) == 0x0A0A && (value >> 8) == (value & 0xFF);

    public static string Hex(ushort value) => "0x" + value.ToString("x4", CultureInfo.InvariantCulture);

    public static string Extension(ushort type) => type switch
    {
        0 => "server_name",
        1 => "max_fragment_length",
        5 => "status_request",
        10 => "supported_groups",
        11 => "ec_point_formats",
        13 => "signature_algorithms",
        14 => "use_srtp",
        15 => "heartbeat",
        16 => "application_layer_protocol_negotiation",
        18 => "signed_certificate_timestamp",
        19 => "client_certificate_type",
        20 => "server_certificate_type",
        21 => "padding",
        22 => "encrypt_then_mac",
        23 => "extended_master_secret",
        27 => "compress_certificate",
        28 => "record_size_limit",
        35 => "session_ticket",
        41 => "pre_shared_key",
        42 => "early_data",
        43 => "supported_versions",
        44 => "cookie",
        45 => "psk_key_exchange_modes",
        47 => "certificate_authorities",
        48 => "oid_filters",
        49 => "post_handshake_auth",
        50 => "signature_algorithms_cert",
        51 => "key_share",
        58 => "ticket_request",
        0x4469 or 0x44cd => "application_settings",
        0xfe0d => "encrypted_client_hello",
        0xff01 => "renegotiation_info",
        _ => Unknown(type),
    };

    public static string Group(ushort group) => Enum.IsDefined((NamedGroup)group)
        ? ((NamedGroup)group).ToString()
        : Unknown(group);

    public static string SignatureScheme(ushort scheme) => Enum.IsDefined((SignatureScheme)scheme)
        ? ((SignatureScheme)scheme).ToString()
        : Unknown(scheme);

    public static string CipherSuite(ushort suite) => suite switch
    {
        _ when Enum.IsDefined((CipherSuite)suite) => ((CipherSuite)suite).ToString(),
        // Not a suite: a TLS 1.2 client's way of saying it supports secure renegotiation (RFC 5746 §3.3).
        0x00ff => "TLS_EMPTY_RENEGOTIATION_INFO_SCSV",
        _ => Unknown(suite),
    };

    public static string Version(ushort version) => version switch
    {
        0x0304 => "TLS 1.3",
        0x0303 => "TLS 1.2",
        0x0302 => "TLS 1.1",
        0x0301 => "TLS 1.0",
        0x0300 => "SSL 3.0",
        _ => Unknown(version),
    };

    public static string PskMode(byte mode) => Enum.IsDefined((PskKeyExchangeMode)mode)
        ? ((PskKeyExchangeMode)mode).ToString()
        : $"unknown ({mode})";

    /// <summary>Handshake message names as RFC 8446 §4 spells them in its structures, e.g. "NewSessionTicket".</summary>
    public static string HandshakeMessage(byte type) => Enum.IsDefined((HandshakeType)type)
        ? ((HandshakeType)type).ToString()
        : $"unknown handshake message ({type})";

    public static string ContentType(byte type) => type switch
    {
        20 => "change_cipher_spec",
        21 => "alert",
        22 => "handshake",
        23 => "application_data",
        _ => $"unknown content type ({type})",
    };

    public static string Alert(byte description) => AlertNames.Of((AlertDescription)description);

    private static string Unknown(ushort value) => IsGrease(value) ? $"GREASE ({Hex(value)})" : $"unknown ({Hex(value)})";
}
