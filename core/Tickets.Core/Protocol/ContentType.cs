namespace Tickets.Core.Protocol;

/// <summary>TLS record content types (RFC 8446 §5.1).</summary>
public enum ContentType : byte
{
    /// <summary>invalid: never sent; it marks where padding ends inside a protected record.</summary>
    Invalid = 0,

    /// <summary>change_cipher_spec: only the one-byte compatibility record, during the handshake (§5, Appendix D.4).</summary>
    ChangeCipherSpec = 20,

    /// <summary>alert: a two-byte alert message (§6).</summary>
    Alert = 21,

    /// <summary>handshake: handshake messages, whole or in fragments (§4).</summary>
    Handshake = 22,

    /// <summary>application_data: the application's bytes; also the outer type of every protected record.</summary>
    ApplicationData = 23,
}
