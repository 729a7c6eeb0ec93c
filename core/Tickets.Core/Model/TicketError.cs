using LanguageExt;
using LanguageExt.Common;

namespace Tickets.Core.Model;

/// <summary>
/// A refused ticket operation, as a LanguageExt <see cref="Expected"/> error so it travels inside <c>Fin&lt;T&gt;</c>,
/// with a <see cref="Kind"/> a program can switch on instead of parsing the message.
/// </summary>
public sealed record TicketError : Expected
{
    /// <summary>Creates an error of the given kind; the code is the kind's numeric value.</summary>
    public TicketError(TicketErrorKind kind, string message)
        : base(message, (int)kind, Option<Error>.None)
    {
        Kind = kind;
    }

    /// <summary>Which rule refused the operation.</summary>
    public TicketErrorKind Kind { get; }
}
