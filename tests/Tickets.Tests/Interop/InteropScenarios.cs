namespace Tickets.Tests.Interop;

/// <summary>
/// Theory data shared by the client suites: every ticket count against `tickets serve` and against the OpenSSL
/// reference. The same assertions on both halves are the reference comparison: a harness that miscounted would
/// already fail against s_server, and the engine must match what OpenSSL 3.0 does.
/// </summary>
public static class InteropScenarios
{
    public static TheoryData<ServerKind, int?> All
    {
        get
        {
            var data = new TheoryData<ServerKind, int?>();
            foreach (var kind in new[] { ServerKind.Tickets, ServerKind.OpenSslReference })
            {
                foreach (var count in TicketExpectation.Counts)
                {
                    data.Add(kind, count);
                }
            }

            return data;
        }
    }

    /// <summary>
    /// For `tickets serve`, its own account must agree with the client's: one log line per connection, in order,
    /// saying full/resumed and the tickets issued, and the --www page reporting the same. s_server logs nothing
    /// comparable, so only its page's New/Reused is checked.
    /// </summary>
    public static async Task AssertServerAgreesAsync(TlsServer server, IReadOnlyList<ClientConnection> observed, IReadOnlyList<string> pages)
    {
        Assert.Equal(observed.Count, pages.Count);
        for (var index = 0; index < observed.Count; index++)
        {
            Assert.True(HttpPage.IsOk(pages[index]), $"connection {index} got no 200 page:\n{pages[index]}");
            Assert.Equal(observed[index].Resumed, HttpPage.SaysResumed(pages[index]));
        }

        if (server is not TicketsServer tickets)
        {
            return;
        }

        for (var index = 0; index < observed.Count; index++)
        {
            var logged = await tickets.NextConnectionAsync();
            Assert.Equal(observed[index], new ClientConnection(logged.Tickets, logged.Resumed));
            Assert.Equal(observed[index].Tickets, HttpPage.TicketsIssued(pages[index]));
        }
    }
}
