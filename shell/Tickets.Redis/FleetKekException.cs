namespace Tickets.Redis;

/// <summary>
/// A key-encryption key that cannot be used: missing, unreadable, readable by others, or not base64 of 32 bytes. The
/// message says where the key came from and what is wrong, never the key's text.
/// </summary>
public sealed class FleetKekException : Exception
{
    /// <summary>A fault described by <paramref name="message"/>.</summary>
    public FleetKekException(string message)
        : base(message)
    {
    }

    /// <summary>A fault described by <paramref name="message"/>, caused by <paramref name="innerException"/>.</summary>
    public FleetKekException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
