using LanguageExt.Common;

namespace Tickets.Core.Protocol;

/// <summary>
/// A protocol failure that carries the alert the peer must receive. Deriving from <see cref="Expected"/>
/// keeps it an ordinary LanguageExt error, so failures travel as <c>Fin&lt;T&gt;</c> without exceptions.
/// </summary>
public sealed record AlertError : Expected
{
    private AlertError(AlertDescription alert, string reason)
        : base($"{AlertNames.Of(alert)}: {reason}", (int)alert)
    {
        Alert = alert;
        Reason = reason;
    }

    /// <summary>The alert to send.</summary>
    public AlertDescription Alert { get; }

    /// <summary>Why, for logs and exception messages.</summary>
    public string Reason { get; }

    /// <summary>A failure that answers the peer with <paramref name="alert"/>, for the stated <paramref name="reason"/>.</summary>
    public static AlertError Of(AlertDescription alert, string reason) => new(alert, reason);

    /// <summary>
    /// The alert to send for any error: an <see cref="AlertError"/> names its own, anything else means
    /// the failure was ours, so internal_error.
    /// </summary>
    public static AlertDescription AlertFor(Error error) =>
        error is AlertError alertError ? alertError.Alert : AlertDescription.InternalError;

    /// <summary>The alert's RFC name and the reason, as in <c>decode_error: ClientHello: random truncated</c>.</summary>
    public override string ToString() => Message;
}
