using System.Runtime.Versioning;
using System.Text;
using Tickets.TicketStore;

namespace Tickets.Tests.TicketsLifecycle;

// File modes are part of what these tests check; the servers they serve run on Unix.
[UnsupportedOSPlatform("windows")]
[Trait("Category", TestCategory.Unit)]
public sealed class TicketKeyFileWatcherTests : IDisposable
{
    private static readonly byte[] State = Encoding.ASCII.GetBytes("a session");
    private readonly DirectoryInfo directory = Directory.CreateTempSubdirectory("tickets-watch-");

    private string KeyFile => Path.Combine(directory.FullName, "keys");

    public void Dispose() => directory.Delete(recursive: true);

    [Fact]
    public void The_poll_picks_up_a_rotation_and_old_tickets_keep_opening()
    {
        var clock = new ManualTimeProvider();
        TicketKeyFile.Generate(KeyFile);
        using var ring = TicketKeyFile.LoadRing(KeyFile, clock);
        using var watcher = new TicketKeyFileWatcher(KeyFile, ring, TimeSpan.FromSeconds(5), clock, notifyOnChange: false);
        var reloads = 0;
        watcher.Reloaded += (_, _) => reloads++;
        var before = ring.Seal(State, ring.Retention);
        var firstName = ring.CurrentKeyName;

        TicketKeyFile.Rotate(KeyFile);
        clock.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(firstName, ring.CurrentKeyName);
        clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(1, reloads);
        Assert.NotEqual(firstName, ring.CurrentKeyName);
        Assert.True(ring.TryOpen(before).IsSome);
        clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(1, reloads);
    }

    [Fact]
    public void Change_notifications_reload_without_waiting_for_the_poll()
    {
        TicketKeyFile.Generate(KeyFile);
        using var ring = TicketKeyFile.LoadRing(KeyFile);
        using var reloaded = new ManualResetEventSlim();
        using var watcher = new TicketKeyFileWatcher(KeyFile, ring, pollInterval: TimeSpan.FromHours(1));
        watcher.Reloaded += (_, _) => reloaded.Set();
        var firstName = ring.CurrentKeyName;
        Assert.True(watcher.Watching);

        TicketKeyFile.Rotate(KeyFile);

        Assert.True(reloaded.Wait(TimeSpan.FromSeconds(20)), "no reload after the file changed");
        Assert.NotEqual(firstName, ring.CurrentKeyName);
    }

    [Fact]
    public void A_bad_rewrite_keeps_the_keys_in_use_reports_once_and_the_next_good_file_is_taken()
    {
        var clock = new ManualTimeProvider();
        TicketKeyFile.Generate(KeyFile);
        using var ring = TicketKeyFile.LoadRing(KeyFile, clock);
        using var watcher = new TicketKeyFileWatcher(KeyFile, ring, TimeSpan.FromSeconds(5), clock, notifyOnChange: false);
        var failures = new List<TicketKeyFileException>();
        watcher.ReloadFailed += (_, e) => failures.Add(e);
        var ticket = ring.Seal(State, ring.Retention);
        var keyLine = File.ReadAllLines(KeyFile)[1];

        File.WriteAllText(KeyFile, TicketKeyFile.Header + "\nnot a key\n");
        clock.Advance(TimeSpan.FromSeconds(5));
        Assert.False(watcher.CheckNow());
        clock.Advance(TimeSpan.FromSeconds(20));

        var failure = Assert.Single(failures);
        Assert.Contains("line 2", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(keyLine[..20], failure.Message, StringComparison.Ordinal);
        Assert.True(ring.TryOpen(ticket).IsSome);

        File.Delete(KeyFile);
        TicketKeyFile.Generate(KeyFile);
        clock.Advance(TimeSpan.FromSeconds(5));

        Assert.True(ring.TryOpen(ticket).IsNone);
        using var fresh = TicketKeyFile.LoadRing(KeyFile);
        Assert.True(ring.TryOpen(fresh.Seal(State, fresh.Retention)).IsSome);
    }

    [Fact]
    public void Starting_on_a_bad_file_throws_and_check_now_reports_whether_anything_changed()
    {
        File.WriteAllText(KeyFile, "garbage\n");
        File.SetUnixFileMode(KeyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        using var ring = new TicketKeyRing();

        Assert.Throws<TicketKeyFileException>(() => new TicketKeyFileWatcher(KeyFile, ring, notifyOnChange: false));

        TicketKeyFile.Generate(KeyFile, overwrite: true);
        using var watcher = new TicketKeyFileWatcher(KeyFile, ring, notifyOnChange: false);
        Assert.Equal(Convert.FromBase64String(File.ReadAllLines(KeyFile)[1].Split(' ')[0])[..16], ring.CurrentKeyName);
        Assert.False(watcher.CheckNow());
        TicketKeyFile.Rotate(KeyFile);
        Assert.True(watcher.CheckNow());
    }
}
