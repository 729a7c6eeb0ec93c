using Tickets.Core.Protocol;

namespace Tickets.Crypto;

/// <summary>Why a protected record could not be opened; each maps to the alert the connection must send.</summary>
internal enum RecordOpenStatus
{
    Ok,
    /// <summary>Authentication failed (or the record is too short to hold a tag): bad_record_mac.</summary>
    BadRecordMac,
    /// <summary>Ciphertext over 2^14+256 or inner plaintext over 2^14+1: record_overflow.</summary>
    RecordOverflow,
    /// <summary>Outer type not application_data, or inner plaintext all zeros (no content type): unexpected_message.</summary>
    UnexpectedMessage,
}

/// <summary>
/// Outcome of opening one record: on success the real content type and the content length (type byte
/// and padding already stripped). A value, not an exception, so hostile input costs no throw.
/// </summary>
internal readonly record struct RecordOpenResult(RecordOpenStatus Status, ContentType ContentType, int Length)
{
    public bool IsOk => Status == RecordOpenStatus.Ok;

    /// <summary>The alert to send for a failure (close_notify, i.e. none, when Ok).</summary>
    public AlertDescription Alert => Status switch
    {
        RecordOpenStatus.BadRecordMac => AlertDescription.BadRecordMac,
        RecordOpenStatus.RecordOverflow => AlertDescription.RecordOverflow,
        RecordOpenStatus.UnexpectedMessage => AlertDescription.UnexpectedMessage,
        _ => AlertDescription.CloseNotify,
    };

    /// <summary>The failure as the protocol's typed error, for callers that work in Fin.</summary>
    public AlertError ToError() => AlertError.Of(Alert, Status switch
    {
        RecordOpenStatus.BadRecordMac => "record failed authentication",
        RecordOpenStatus.RecordOverflow => "record exceeds the TLS 1.3 size limit",
        RecordOpenStatus.UnexpectedMessage => "protected record without a content type",
        _ => "no failure",
    });

    internal static RecordOpenResult Fail(RecordOpenStatus status) => new(status, ContentType.Invalid, 0);
}
