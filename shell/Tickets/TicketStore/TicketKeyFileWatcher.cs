using System.Security.Cryptography;

namespace Tickets.TicketStore;

/// <summary>
/// Keeps a <see cref="TicketKeyRing"/> in step with its key file while the server runs, so a fleet rotates by rewriting
/// the file. A FileSystemWatcher reacts at once; a poll on the file's modification time and size, on the injected
/// clock, catches what the watcher misses (network file systems, overflowed event queues, a replaced directory).
/// </summary>
/// <remarks>
/// <para>A reload happens only when the content really changed (compared by SHA-256), so the many events one save
/// produces cost one reload. A bad file never empties the ring: the keys in use stay and <see cref="ReloadFailed"/>
/// reports the fault, once until it changes; the next good version is picked up as usual.</para>
/// <para>The constructor loads the file into the ring straight away, so nothing written between the ring's creation
/// and the watcher's start is missed; a bad file there throws <see cref="TicketKeyFileException"/>.</para>
/// </remarks>
internal sealed class TicketKeyFileWatcher : IDisposable
{
    /// <summary>Five seconds: fleets converge quickly, and a stat every five seconds costs nothing.</summary>
    public static readonly TimeSpan DefaultPollInterval = TimeSpan.FromSeconds(5);

    private readonly string path;
    private readonly TicketKeyRing ring;
    private readonly Lock gate = new();
    private readonly ITimer poll;
    private readonly FileSystemWatcher? watcher;
    private byte[] appliedDigest = [];
    private string? lastFailure;
    private (DateTime Modified, long Length) seen;
    private bool disposed;

    /// <param name="path">The key file.</param>
    /// <param name="ring">The ring to keep in step; the watcher replaces its keys, it does not own it.</param>
    /// <param name="pollInterval">How often the poll looks at the file; <see cref="DefaultPollInterval"/> if null.</param>
    /// <param name="timeProvider">The clock of the poll.</param>
    /// <param name="notifyOnChange">False to rely on the poll alone, e.g. where change notifications are unreliable.</param>
    public TicketKeyFileWatcher(
        string path, TicketKeyRing ring, TimeSpan? pollInterval = null, TimeProvider? timeProvider = null, bool notifyOnChange = true)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(ring);
        var interval = pollInterval ?? DefaultPollInterval;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        this.path = Path.GetFullPath(path);
        this.ring = ring;

        if (!Reload(raiseOnFailure: false, out var failure) && failure is not null)
            throw failure;

        poll = (timeProvider ?? TimeProvider.System).CreateTimer(_ => Poll(), null, interval, interval);
        if (!notifyOnChange)
            return;
        try
        {
            watcher = new FileSystemWatcher(Path.GetDirectoryName(this.path)!, Path.GetFileName(this.path))
            {
                NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.Size | NotifyFilters.CreationTime
                    | NotifyFilters.Attributes,
            };
            watcher.Changed += (_, _) => CheckNow();
            watcher.Created += (_, _) => CheckNow();
            watcher.Renamed += (_, e) =>
            {
                if (string.Equals(e.FullPath, this.path, StringComparison.Ordinal))
                    CheckNow();
            };
            watcher.EnableRaisingEvents = true;
        }
        catch (Exception e) when (e is IOException or PlatformNotSupportedException or ArgumentException)
        {
            // No change notifications here (e.g. inotify instances exhausted): the poll alone keeps the ring current.
            watcher?.Dispose();
            watcher = null;
        }
    }

    /// <summary>Raised after the ring adopted a changed file.</summary>
    public event EventHandler? Reloaded;

    /// <summary>Raised when a changed file could not be used; the ring keeps its keys. The message holds no key material.</summary>
    public event EventHandler<TicketKeyFileException>? ReloadFailed;

    /// <summary>Whether change notifications are active, or only the poll.</summary>
    public bool Watching => watcher is not null;

    /// <summary>Reloads if the file's content changed since the last reload; true when the ring took new keys.</summary>
    public bool CheckNow() => Reload(raiseOnFailure: true, out _);

    /// <summary>Stops watching and polling; the ring keeps the keys it has.</summary>
    public void Dispose()
    {
        lock (gate)
        {
            disposed = true;
            poll.Dispose();
            watcher?.Dispose();
        }
    }

    // The cheap check first: a stat. Only a changed time or size leads to reading the file.
    private void Poll()
    {
        try
        {
            var info = new FileInfo(path);
            var now = info.Exists ? (info.LastWriteTimeUtc, info.Length) : (DateTime.MinValue, -1L);
            if (now == seen)
                return;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Fall through to the full check, which reports the problem.
        }

        CheckNow();
    }

    private bool Reload(bool raiseOnFailure, out TicketKeyFileException? failure)
    {
        failure = null;
        var report = false;
        lock (gate)
        {
            if (disposed)
                return false;
            try
            {
                var info = new FileInfo(path);
                var stat = info.Exists ? (info.LastWriteTimeUtc, info.Length) : (DateTime.MinValue, -1L);
                var content = TicketKeyFile.ReadPrivate(path);
                // Remembered only once the file could be read, so the poll keeps retrying a missing or unreadable file.
                seen = stat;
                var digest = SHA256.HashData(content);
                if (CryptographicOperations.FixedTimeEquals(digest, appliedDigest))
                {
                    CryptographicOperations.ZeroMemory(content);
                    lastFailure = null;
                    return false;
                }

                var timed = TicketKeyFile.ParseTimed(content, path);
                ring.Replace(timed.Select(key => key.Key).ToArray(), TicketKeyFile.OpensUntil(timed, ring.Retention));
                appliedDigest = digest;
                lastFailure = null;
            }
            catch (TicketKeyFileException e)
            {
                failure = e;
                // The same fault seen again by the poll or by another event of the same save is reported once.
                report = raiseOnFailure && !string.Equals(e.Message, lastFailure, StringComparison.Ordinal);
                lastFailure = e.Message;
            }
        }

        if (failure is not null)
        {
            if (report)
                ReloadFailed?.Invoke(this, failure);
            return false;
        }

        Reloaded?.Invoke(this, EventArgs.Empty);
        return true;
    }
}
