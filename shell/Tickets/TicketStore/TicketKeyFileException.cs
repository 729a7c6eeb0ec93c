namespace Tickets.TicketStore;

/// <summary>
/// A key file that cannot be used: missing, unreadable, too widely readable, or malformed. The message names the file
/// and the line and says what is wrong, but never quotes the line: it would carry key material.
/// </summary>
public sealed class TicketKeyFileException : Exception
{
    public TicketKeyFileException(string message)
        : base(message)
    {
    }

    public TicketKeyFileException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
