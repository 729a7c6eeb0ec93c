namespace Tickets.TicketStore;

/// <summary>
/// A key file that cannot be used: missing, unreadable, too widely readable, or malformed. The message names the file
/// and the line and says what is wrong, but never quotes the line: it would carry key material.
/// </summary>
public sealed class TicketKeyFileException : Exception
{
    /// <summary>A fault described by <paramref name="message"/>.</summary>
    public TicketKeyFileException(string message)
        : base(message)
    {
    }

    /// <summary>A fault described by <paramref name="message"/>, caused by <paramref name="innerException"/>.</summary>
    public TicketKeyFileException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
