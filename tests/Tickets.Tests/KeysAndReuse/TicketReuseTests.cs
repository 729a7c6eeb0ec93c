using Tickets.Tests.Interop;

namespace Tickets.Tests.KeysAndReuse;

/// <summary>
/// The lifetime, tampering, single-use and stateful rules against `tickets serve`, observed with openssl
/// s_client -trace: "Offered" shows the client really presented its ticket, so a full handshake is the server's
/// refusal and not the client's choice.
/// </summary>
[Trait("Category", TestCategory.Interop)]
public class TicketReuseTests
{
    private static Task<TicketsServer> StartAsync(params string[] flags) => TicketsServer.StartAsync(["--port", "0", "--www", .. flags]);

    [Fact]
    public async Task Session_timeout_2_gives_lifetime_hint_2_and_the_server_refuses_the_ticket_after_3_seconds()
    {
        var directory = InteropPaths.NewDirectory("lifetime");
        await using var server = await StartAsync("--session-timeout", "2");
        var issued = await TracedClient.ConnectAsync(server.Port, directory);
        Assert.Equal([2u, 2u], issued.LifetimeHints);

        // s_client itself drops a ticket older than its hint, so the copy claims 100 s. The server still reads the
        // 2 s sealed inside the ticket and its own issue time: that is the check under test.
        var claimsLonger = SessionFile.WithLifetimeHint(issued.SavedSession!, 2, 100, Path.Combine(directory, "longer.pem"));
        await Task.Delay(TimeSpan.FromSeconds(3));
        var late = await TracedClient.ConnectAsync(server.Port, directory, claimsLonger);

        Assert.Equal((true, false, 2), (late.Offered, late.Reused, late.Tickets));
        Assert.False((await server.NextConnectionAsync()).Resumed);
        Assert.False((await server.NextConnectionAsync()).Resumed);
    }

    [Fact]
    public async Task The_same_edited_session_resumes_while_the_ticket_is_young()
    {
        // The control for the test above: the edit alone does not stop resumption, only the ticket's age does.
        var directory = InteropPaths.NewDirectory("lifetime-control");
        await using var server = await StartAsync("--session-timeout", "2");
        var issued = await TracedClient.ConnectAsync(server.Port, directory);
        var claimsLonger = SessionFile.WithLifetimeHint(issued.SavedSession!, 2, 100, Path.Combine(directory, "longer.pem"));

        var early = await TracedClient.ConnectAsync(server.Port, directory, claimsLonger);

        Assert.Equal((true, true), (early.Offered, early.Reused));
    }

    [Fact]
    public async Task A_session_timeout_above_seven_days_is_clamped_to_604800()
    {
        var directory = InteropPaths.NewDirectory("lifetime-clamp");
        await using var server = await StartAsync("--session-timeout", "10000000");

        var issued = await TracedClient.ConnectAsync(server.Port, directory);
        var resumed = await TracedClient.ConnectAsync(server.Port, directory, issued.SavedSession);

        Assert.Equal([604800u, 604800u], issued.LifetimeHints);
        Assert.Equal([604800u], resumed.LifetimeHints);
        Assert.True(resumed.Reused);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Tampered_ticket_bytes_lead_to_a_full_handshake(bool stateful)
    {
        var directory = InteropPaths.NewDirectory("tamper");
        await using var server = stateful ? await StartAsync("--no-ticket") : await StartAsync();
        var issued = await TracedClient.ConnectAsync(server.Port, directory);
        var ticket = SessionFile.Ticket(issued.SavedSession!);
        // Past the key name for sealed tickets (into the IV and ciphertext); anywhere in a 16-byte id.
        var tampered = SessionFile.WithTicketByteFlipped(issued.SavedSession!, ticket, stateful ? 5 : 30, Path.Combine(directory, "tampered.pem"));

        var run = await TracedClient.ConnectAsync(server.Port, directory, tampered);
        var untouched = await TracedClient.ConnectAsync(server.Port, directory, issued.SavedSession);

        Assert.Equal((true, false, 2), (run.Offered, run.Reused, run.Tickets));
        Assert.True(untouched.Reused);
    }

    [Theory]
    [InlineData(false, false, true)]
    [InlineData(true, false, false)]
    [InlineData(false, true, true)]
    [InlineData(true, true, false)]
    public async Task A_ticket_offered_twice_resumes_twice_unless_tickets_are_single_use(bool singleUse, bool stateful, bool secondResumes)
    {
        var directory = InteropPaths.NewDirectory("single-use");
        var flags = new List<string>();
        if (singleUse)
        {
            flags.Add("--single-use-tickets");
        }

        if (stateful)
        {
            flags.Add("--no-ticket");
        }

        await using var server = await StartAsync([.. flags]);
        var issued = await TracedClient.ConnectAsync(server.Port, directory);

        var first = await TracedClient.ConnectAsync(server.Port, directory, issued.SavedSession);
        var second = await TracedClient.ConnectAsync(server.Port, directory, issued.SavedSession);

        Assert.Equal((true, true, 1), (first.Offered, first.Reused, first.Tickets));
        Assert.Equal((true, secondResumes, secondResumes ? 1 : 2), (second.Offered, second.Reused, second.Tickets));
    }

    [Theory]
    [InlineData(null)]
    [InlineData(3)]
    [InlineData(0)]
    public async Task Stateful_mode_issues_16_byte_ids_in_the_same_numbers_and_resumes(int? count)
    {
        var directory = InteropPaths.NewDirectory("stateful");
        string[] countFlags = count is { } n ? ["--num-tickets", n.ToString(System.Globalization.CultureInfo.InvariantCulture)] : [];
        await using var server = await StartAsync(["--no-ticket", .. countFlags]);

        var runs = new List<TracedRun> { await TracedClient.ConnectAsync(server.Port, directory) };
        for (var i = 0; i < 2; i++)
        {
            runs.Add(await TracedClient.ConnectAsync(server.Port, directory, runs[^1].SavedSession));
        }

        var expected = TicketExpectation.Chain(count, 3);
        Assert.Equal(expected, runs.Select(run => new ClientConnection(run.Tickets, run.Reused)));
        Assert.All(runs.Where(run => run.SavedSession is not null), run => Assert.Equal(16, SessionFile.Ticket(run.SavedSession!).Length));
        Assert.Contains(server.Process.OutputLines, line => line.Contains("tickets stateful, session cache 20480 sessions", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_stateful_cache_of_one_evicts_the_older_session()
    {
        var directory = InteropPaths.NewDirectory("stateful-evict");
        await using var server = await StartAsync("--no-ticket", "--session-cache-size", "1", "--num-tickets", "1");

        var older = await TracedClient.ConnectAsync(server.Port, directory);
        var newer = await TracedClient.ConnectAsync(server.Port, directory);
        var olderAgain = await TracedClient.ConnectAsync(server.Port, directory, older.SavedSession);

        // The newer session took the only place, so the older id names nothing any more.
        Assert.Equal((true, false, 1), (olderAgain.Offered, olderAgain.Reused, olderAgain.Tickets));
        // olderAgain's own fresh session has now evicted the newer one in turn: least recently stored goes first.
        var newerAgain = await TracedClient.ConnectAsync(server.Port, directory, newer.SavedSession);
        Assert.False(newerAgain.Reused);
        var latest = await TracedClient.ConnectAsync(server.Port, directory, newerAgain.SavedSession);
        Assert.True(latest.Reused);
    }
}
