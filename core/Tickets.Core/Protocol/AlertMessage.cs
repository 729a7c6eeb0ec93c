using LanguageExt;
using static LanguageExt.Prelude;

namespace Tickets.Core.Protocol;

/// <summary>The 2-byte body of an alert record (RFC 8446 §6).</summary>
public sealed record AlertMessage(AlertLevel Level, AlertDescription Description)
{
    /// <summary>
    /// The level to send: close_notify and user_canceled are warnings; every error alert is fatal (§6).
    /// </summary>
    public static AlertMessage For(AlertDescription description) =>
        new(description is AlertDescription.CloseNotify or AlertDescription.UserCanceled ? AlertLevel.Warning : AlertLevel.Fatal, description);
}

public static class AlertCodec
{
    public const int Length = 2;

    public static byte[] Encode(AlertMessage alert) => [(byte)alert.Level, (byte)alert.Description];

    public static Fin<AlertMessage> Decode(ReadOnlySpan<byte> body) =>
        body.Length == Length
            ? FinSucc(new AlertMessage((AlertLevel)body[0], (AlertDescription)body[1]))
            : FinFail<AlertMessage>(AlertError.Of(AlertDescription.DecodeError, $"alert record of {body.Length} bytes"));
}
