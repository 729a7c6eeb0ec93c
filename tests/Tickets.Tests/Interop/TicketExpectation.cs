namespace Tickets.Tests.Interop;

/// <summary>
/// OpenSSL 3.0's ticket behaviour (SSL_CTX_set_num_tickets) for a chain of connections where each one offers the
/// newest ticket of the one before: the full handshake gets the configured count, a resumed handshake gets one,
/// and with a count of 0 there is never a ticket, so nothing can resume.
/// </summary>
public static class TicketExpectation
{
    public const int OpenSslDefault = 2;

    /// <summary>The counts the interop suite covers; null means "flag not given" (the default, 2).</summary>
    public static TheoryData<int?> Counts => new() { null, 0, 1, 3, 10 };

    public static IReadOnlyList<ClientConnection> Chain(int? configured, int connections)
    {
        var count = configured ?? OpenSslDefault;
        return Enumerable.Range(0, connections)
            .Select(index => index == 0 || count == 0
                ? new ClientConnection(count, Resumed: false)
                : new ClientConnection(1, Resumed: true))
            .ToArray();
    }
}
