namespace Tickets.Core.Protocol;

/// <summary>Every alert description RFC 8446 §6 defines, with its wire value.</summary>
public enum AlertDescription : byte
{
    /// <summary>close_notify: the sender will send no more messages on this connection (§6.1).</summary>
    CloseNotify = 0,

    /// <summary>unexpected_message: a message arrived that is not allowed in the current state.</summary>
    UnexpectedMessage = 10,

    /// <summary>bad_record_mac: a record could not be deprotected.</summary>
    BadRecordMac = 20,

    /// <summary>record_overflow: a record was longer than the limits of §5.1 and §5.2 allow.</summary>
    RecordOverflow = 22,

    /// <summary>handshake_failure: no acceptable set of security parameters could be negotiated.</summary>
    HandshakeFailure = 40,

    /// <summary>bad_certificate: a certificate was corrupt or its signatures did not verify.</summary>
    BadCertificate = 42,

    /// <summary>unsupported_certificate: a certificate of an unsupported type.</summary>
    UnsupportedCertificate = 43,

    /// <summary>certificate_revoked: a certificate was revoked by its signer.</summary>
    CertificateRevoked = 44,

    /// <summary>certificate_expired: a certificate has expired or is not yet valid.</summary>
    CertificateExpired = 45,

    /// <summary>certificate_unknown: some other problem with a certificate made it unacceptable.</summary>
    CertificateUnknown = 46,

    /// <summary>illegal_parameter: a field was out of range or inconsistent with other fields.</summary>
    IllegalParameter = 47,

    /// <summary>unknown_ca: a chain did not end in a trusted certificate authority.</summary>
    UnknownCa = 48,

    /// <summary>access_denied: a valid certificate or PSK was received, but access control refused it.</summary>
    AccessDenied = 49,

    /// <summary>decode_error: a message could not be decoded (a field out of range, a wrong length).</summary>
    DecodeError = 50,

    /// <summary>decrypt_error: a cryptographic check failed (a signature, a Finished or a PSK binder).</summary>
    DecryptError = 51,

    /// <summary>protocol_version: the peer offers no protocol version this side supports.</summary>
    ProtocolVersion = 70,

    /// <summary>insufficient_security: the peer's parameters are weaker than this side requires.</summary>
    InsufficientSecurity = 71,

    /// <summary>internal_error: a failure of this side, unrelated to the peer or the protocol.</summary>
    InternalError = 80,

    /// <summary>inappropriate_fallback: a client's fallback retry was refused (RFC 7507).</summary>
    InappropriateFallback = 86,

    /// <summary>user_canceled: the user cancels the handshake for a reason unrelated to the protocol.</summary>
    UserCanceled = 90,

    /// <summary>missing_extension: a message lacked an extension it must carry.</summary>
    MissingExtension = 109,

    /// <summary>unsupported_extension: a message carried an extension that is not allowed in it.</summary>
    UnsupportedExtension = 110,

    /// <summary>unrecognized_name: no server is known by the name the client sent (RFC 6066).</summary>
    UnrecognizedName = 112,

    /// <summary>bad_certificate_status_response: an invalid or unacceptable OCSP response (RFC 6066).</summary>
    BadCertificateStatusResponse = 113,

    /// <summary>unknown_psk_identity: no acceptable PSK identity was offered (servers may instead fall back to a full handshake).</summary>
    UnknownPskIdentity = 115,

    /// <summary>certificate_required: a certificate was required and none was sent.</summary>
    CertificateRequired = 116,

    /// <summary>no_application_protocol: none of the client's ALPN protocols is one the server speaks (RFC 7301).</summary>
    NoApplicationProtocol = 120,
}
