namespace Tickets.Core.Protocol;

/// <summary>Version numbers on the wire.</summary>
public static class ProtocolVersion
{
    /// <summary>TLS 1.3 as it appears in supported_versions.</summary>
    public const ushort Tls13 = 0x0304;

    /// <summary>TLS 1.2: the frozen legacy_version of every TLS 1.3 hello and record.</summary>
    public const ushort Tls12 = 0x0303;

    /// <summary>TLS 1.0: what many clients put in the record header of their first ClientHello.</summary>
    public const ushort Tls10 = 0x0301;
}
