namespace Tickets.Fleet;

/// <summary>
/// A key-encryption key that cannot be used: missing, unreadable, readable by others, or not base64 of 32 bytes. The
/// message says where the key came from and what is wrong, never the key's text.
/// </summary>
public sealed class FleetKekException : Exception
{
    public FleetKekException(string message)
        : base(message)
    {
    }

    public FleetKekException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
