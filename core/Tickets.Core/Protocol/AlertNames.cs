namespace Tickets.Core.Protocol;

/// <summary>RFC spelling of alert descriptions (snake_case), for messages that people compare with peers' logs.</summary>
public static class AlertNames
{
    /// <summary>The RFC name of <paramref name="alert"/> (<c>decode_error</c>), or <c>alert(n)</c> for an unknown value.</summary>
    public static string Of(AlertDescription alert) => alert switch
    {
        AlertDescription.CloseNotify => "close_notify",
        AlertDescription.UnexpectedMessage => "unexpected_message",
        AlertDescription.BadRecordMac => "bad_record_mac",
        AlertDescription.RecordOverflow => "record_overflow",
        AlertDescription.HandshakeFailure => "handshake_failure",
        AlertDescription.BadCertificate => "bad_certificate",
        AlertDescription.UnsupportedCertificate => "unsupported_certificate",
        AlertDescription.CertificateRevoked => "certificate_revoked",
        AlertDescription.CertificateExpired => "certificate_expired",
        AlertDescription.CertificateUnknown => "certificate_unknown",
        AlertDescription.IllegalParameter => "illegal_parameter",
        AlertDescription.UnknownCa => "unknown_ca",
        AlertDescription.AccessDenied => "access_denied",
        AlertDescription.DecodeError => "decode_error",
        AlertDescription.DecryptError => "decrypt_error",
        AlertDescription.ProtocolVersion => "protocol_version",
        AlertDescription.InsufficientSecurity => "insufficient_security",
        AlertDescription.InternalError => "internal_error",
        AlertDescription.InappropriateFallback => "inappropriate_fallback",
        AlertDescription.UserCanceled => "user_canceled",
        AlertDescription.MissingExtension => "missing_extension",
        AlertDescription.UnsupportedExtension => "unsupported_extension",
        AlertDescription.UnrecognizedName => "unrecognized_name",
        AlertDescription.BadCertificateStatusResponse => "bad_certificate_status_response",
        AlertDescription.UnknownPskIdentity => "unknown_psk_identity",
        AlertDescription.CertificateRequired => "certificate_required",
        AlertDescription.NoApplicationProtocol => "no_application_protocol",
        _ => $"alert({(byte)alert})",
    };
}
