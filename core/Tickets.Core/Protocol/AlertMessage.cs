using LanguageExt;
using static LanguageExt.Prelude;

namespace Tickets.Core.Protocol;

/// <summary>The 2-byte body of an alert record (RFC 8446 §6).</summary>
/// <param name="Level">The level byte: warning or fatal.</param>
/// <param name="Description">Which alert.</param>
public sealed record AlertMessage(AlertLevel Level, AlertDescription Description)
{
    /// <summary>
    /// The level to send: close_notify and user_canceled are warnings; every error alert is fatal (§6).
    /// </summary>
    public static AlertMessage For(AlertDescription description) =>
        new(description is AlertDescription.CloseNotify or AlertDescription.UserCanceled ? AlertLevel.Warning : AlertLevel.Fatal, description);
}

/// <summary>Encodes and decodes the body of an alert record.</summary>
internal static class AlertCodec
{
    /// <summary>An alert body's length: level and description.</summary>
    public const int Length = 2;

    /// <summary>The two bytes of <paramref name="alert"/>.</summary>
    public static byte[] Encode(AlertMessage alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        return [(byte)alert.Level, (byte)alert.Description];
    }

    /// <summary>
    /// Reads an alert record's body. Anything but two bytes is decode_error; the bytes themselves are carried as they
    /// came, unknown values included, since a peer's alert is reported rather than judged.
    /// </summary>
    public static Fin<AlertMessage> Decode(ReadOnlySpan<byte> body) =>
        body.Length == Length
            ? FinSucc(new AlertMessage((AlertLevel)body[0], (AlertDescription)body[1]))
            : FinFail<AlertMessage>(AlertError.Of(AlertDescription.DecodeError, $"alert record of {body.Length} bytes"));
}
