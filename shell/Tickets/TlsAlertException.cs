using Tickets.Core.Protocol;

namespace Tickets;

/// <summary>
/// Inside the engine a fatal protocol error unwinds the handshake or record processing to the one place
/// that sends the alert and closes the connection. It never leaves the engine: the public API turns it
/// into <see cref="TlsHandshakeException"/> or an <see cref="IOException"/>.
/// </summary>
internal sealed class TlsAlertException(AlertDescription alert, string reason) : Exception(reason)
{
    public AlertDescription Alert { get; } = alert;

    /// <summary>Unwraps a codec result, turning its AlertError (or any other error) into this exception.</summary>
    public static T Expect<T>(LanguageExt.Fin<T> result) =>
        result.Match(
            Succ: value => value,
            Fail: error => throw From(error));

    /// <summary>
    /// Codec errors are AlertErrors; crypto errors carry the alert's code point as their error code.
    /// Anything else is our own fault: internal_error.
    /// </summary>
    public static TlsAlertException From(LanguageExt.Common.Error error) => error switch
    {
        AlertError alertError => new TlsAlertException(alertError.Alert, alertError.Message),
        _ when error.Code is > 0 and <= byte.MaxValue && Enum.IsDefined((AlertDescription)error.Code) =>
            new TlsAlertException((AlertDescription)error.Code, error.Message),
        _ => new TlsAlertException(AlertDescription.InternalError, error.Message),
    };
}
