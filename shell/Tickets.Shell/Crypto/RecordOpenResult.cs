namespace Tickets.Shell.Crypto;

/// <summary>Why a protected record could not be opened; each maps to the alert the connection must send.</summary>
public enum RecordOpenStatus
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
public readonly record struct RecordOpenResult(RecordOpenStatus Status, byte ContentType, int Length)
{
    public bool IsOk => Status == RecordOpenStatus.Ok;

    /// <summary>The RFC 8446 §6 AlertDescription code point to send for a failure (0 when Ok).</summary>
    public byte AlertCode => Status switch
    {
        RecordOpenStatus.BadRecordMac => 20,
        RecordOpenStatus.RecordOverflow => 22,
        RecordOpenStatus.UnexpectedMessage => 10,
        _ => 0,
    };

    internal static RecordOpenResult Fail(RecordOpenStatus status) => new(status, 0, 0);
}
