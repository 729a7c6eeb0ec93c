using System.Net;
using StackExchange.Redis;

namespace Tickets.Redis;

/// <summary>
/// The fleet's connection to Redis, shared by every fleet component of a process. Every operation goes through
/// <see cref="RunAsync{T}"/>, which bounds it in time and turns any Redis failure into "unavailable" instead of an
/// exception, so nothing Redis does can fail a connection or stall the accept loop.
/// </summary>
/// <remarks>
/// <para>StackExchange.Redis reconnects by itself (AbortOnConnectFail off). While it is disconnected, commands fail at once
/// rather than queueing (BacklogPolicy.FailFast): a queued command would only make a handshake wait for an outage.</para>
/// <para>Outages are logged once: the first failure logs "redis unavailable ...", the first success after it (or the
/// client's own reconnection) logs "redis back ...". Only the interactive connection counts; the pub/sub connection
/// fails and recovers alongside it and would only repeat the news.</para>
/// <para>A Redis refusing the password (or the ACL user) is such an outage too, and the refusal is logged once per outage,
/// so that an operator does not go looking for a network fault: in the outage's own line when it is known then, or in
/// one line of its own when the outage began as something else (a Redis restarted with a new password first closes the
/// socket) or before the client had the refusal (just after the first connection attempt it may only know "no
/// connection"). The password goes to the client and nowhere else: the client's
/// <see cref="ConfigurationOptions.ToString()"/> includes it, so the configuration is never logged.</para>
/// </remarks>
internal sealed class FleetConnection : IAsyncDisposable, IDisposable
{
    /// <summary>The reason logged when Redis refuses our credentials (NOAUTH, WRONGPASS, or a disabled ACL user).</summary>
    public const string AuthenticationFailed = "authentication failed: wrong or missing password or user";

    private readonly ConnectionMultiplexer multiplexer;
    private readonly Action<string> log;
    private readonly string prefix;
    private int down;
    private int refusalLogged;
    private int disposed;

    private FleetConnection(ConnectionMultiplexer multiplexer, FleetRedisOptions options, Action<string> log)
    {
        this.multiplexer = multiplexer;
        this.log = log;
        prefix = options.KeyPrefix;
        Endpoint = options.Endpoint;
        OperationTimeout = options.OperationTimeout;
        multiplexer.ConnectionFailed += (_, e) =>
        {
            if (e.ConnectionType == ConnectionType.Interactive)
                MarkUnavailable(e.FailureType.ToString(), e.FailureType == ConnectionFailureType.AuthenticationFailure);
        };
        multiplexer.ConnectionRestored += (_, e) =>
        {
            if (e.ConnectionType == ConnectionType.Interactive)
                MarkAvailable();
        };
    }

    /// <summary>Raised (on a thread pool thread) when Redis answers again after an outage.</summary>
    public event EventHandler? Restored;

    /// <summary>HOST:PORT as configured.</summary>
    public string Endpoint { get; }

    /// <summary>The longest any Redis operation may take before it counts as unavailable.</summary>
    public TimeSpan OperationTimeout { get; }

    /// <summary>False from the first failure of an outage until Redis answers again.</summary>
    public bool Available => Volatile.Read(ref down) == 0;

    internal IDatabase Database => multiplexer.GetDatabase();

    internal ISubscriber Subscriber => multiplexer.GetSubscriber();

    /// <summary>
    /// Connects, waiting at most about the operation timeout (a few attempts' worth); an unreachable Redis still yields
    /// a connection, reported unavailable, that keeps reconnecting in the background.
    /// </summary>
    public static async Task<FleetConnection> ConnectAsync(FleetRedisOptions options, Action<string> log)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        var timeoutMs = (int)Math.Clamp(options.OperationTimeout.TotalMilliseconds, 1, int.MaxValue);
        var configuration = new ConfigurationOptions
        {
            AbortOnConnectFail = false,
            ConnectTimeout = Math.Max(timeoutMs, 1000),
            SyncTimeout = timeoutMs,
            AsyncTimeout = timeoutMs,
            ConnectRetry = 1,
            KeepAlive = 5,
            // Timeouts and dead sockets are noticed on the heartbeat; a short one notices outages and recoveries sooner.
            HeartbeatInterval = TimeSpan.FromMilliseconds(500),
            BacklogPolicy = BacklogPolicy.FailFast,
            ReconnectRetryPolicy = new ExponentialRetry(250, 2000),
            ClientName = "tickets",
            IncludeDetailInExceptions = false,
            User = options.User,
            Password = options.Password,
        };
        configuration.EndPoints.Add(ParseEndpoint(options.Endpoint));
        var multiplexer = await ConnectionMultiplexer.ConnectAsync(configuration).ConfigureAwait(false);
        var connection = new FleetConnection(multiplexer, options, log);
        if (!multiplexer.IsConnected && await connection.WhyUnreachableAsync().ConfigureAwait(false) is { } refused)
            connection.MarkUnavailable("cannot connect", refused);
        return connection;
    }

    /// <summary>Parses HOST:PORT (a bracketed IPv6 address, an IP or a host name); throws ArgumentException when malformed.</summary>
    public static EndPoint ParseEndpoint(string text)
    {
        ArgumentException.ThrowIfNullOrEmpty(text);
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || colon == text.Length - 1
            || !int.TryParse(text.AsSpan(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port)
            || port is < 1 or > 65535)
        {
            throw new ArgumentException($"'{text}' is not HOST:PORT with a port from 1 to 65535.", nameof(text));
        }

        var host = text[..colon];
        if (host.StartsWith('[') && host.EndsWith(']'))
            host = host[1..^1];
        return IPAddress.TryParse(host, out var address) ? new IPEndPoint(address, port) : new DnsEndPoint(host, port);
    }

    /// <summary>The full Redis key for a fleet key name.</summary>
    public string Key(string name) => prefix + name;

    /// <summary>
    /// Runs one Redis operation within <see cref="OperationTimeout"/>; none when Redis failed or was too slow. Our own
    /// deadline backs up the client's: its timeouts are only checked on the heartbeat.
    /// </summary>
    internal async Task<(bool Ok, T Value)> RunAsync<T>(Func<IDatabase, Task<T>> operation)
    {
        if (Volatile.Read(ref disposed) != 0)
            return (false, default!);
        Task<T> pending;
        try
        {
            pending = operation(Database);
        }
        catch (Exception e) when (IsRedisFailure(e))
        {
            MarkUnavailable(Describe(e), IsAuthenticationFailure(e));
            return (false, default!);
        }

        try
        {
            var value = await pending.WaitAsync(OperationTimeout).ConfigureAwait(false);
            MarkAvailable();
            return (true, value);
        }
        catch (Exception e) when (IsRedisFailure(e))
        {
            // A command abandoned on our deadline may still fail later; observe that so it is not reported as unobserved.
            _ = pending.ContinueWith(static task => _ = task.Exception, TaskContinuationOptions.OnlyOnFaulted);
            MarkUnavailable(Describe(e), IsAuthenticationFailure(e));
            return (false, default!);
        }
    }

    /// <summary>
    /// For a connection that failed at start: whether Redis refused the login, as far as the client knows yet; null if
    /// it came up meanwhile. The first attempt's failure events fired before our handlers were attached; one command
    /// (failing at once while disconnected: FailFast) carries the client's last connection failure instead.
    /// </summary>
    private async Task<bool?> WhyUnreachableAsync()
    {
        Task<TimeSpan>? pending = null;
        try
        {
            pending = Database.PingAsync();
            await pending.WaitAsync(OperationTimeout).ConfigureAwait(false);
            return null;
        }
        catch (Exception e) when (IsRedisFailure(e))
        {
            _ = pending?.ContinueWith(static task => _ = task.Exception, TaskContinuationOptions.OnlyOnFaulted);
            return IsAuthenticationFailure(e);
        }
    }

    /// <summary>Closes the connection, abandoning commands in flight.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
            return;
        await multiplexer.CloseAsync(allowCommandsToComplete: false).ConfigureAwait(false);
        multiplexer.Dispose();
    }

    /// <summary>Closes at once, abandoning commands in flight (each has a caller that already gave up or will time out).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
            return;
        multiplexer.Close(allowCommandsToComplete: false);
        multiplexer.Dispose();
    }

    internal void MarkUnavailable(string reason) => MarkUnavailable(reason, refused: false);

    /// <param name="reason">The failure, for the outage's first line.</param>
    /// <param name="refused">Redis refused the login: logged once per outage, in the first line or in one of its own.</param>
    private void MarkUnavailable(string reason, bool refused)
    {
        var firstRefusal = refused && Interlocked.Exchange(ref refusalLogged, 1) == 0;
        if (Interlocked.Exchange(ref down, 1) == 0)
        {
            if (Volatile.Read(ref disposed) == 0)
                log($"redis unavailable at {Endpoint} ({(refused ? AuthenticationFailed : reason)}): full handshakes only, tickets sealed with the last known keys");
        }
        else if (firstRefusal && Volatile.Read(ref disposed) == 0)
        {
            log($"redis at {Endpoint} refuses the login ({AuthenticationFailed}): still full handshakes only, retrying");
        }
    }

    private void MarkAvailable()
    {
        if (Interlocked.Exchange(ref down, 0) == 1)
        {
            // The next outage may be a refusal again (a password changed twice); it gets its own line then.
            Volatile.Write(ref refusalLogged, 0);
            if (Volatile.Read(ref disposed) == 0)
            {
                log($"redis back at {Endpoint}");
                Restored?.Invoke(this, EventArgs.Empty);
            }
        }
    }

    // Any fault of a command counts as Redis being unavailable, not only RedisException and timeouts: the client's
    // socket pipeline can surface others mid-outage (InvalidOperationException "Reading is not allowed after reader
    // was completed" was seen with a frozen server), and none of them may reach a handshake. The operations passed in
    // only issue commands; anything they could get wrong of their own is done (and tested) before.
    private static bool IsRedisFailure(Exception e) => e is not OutOfMemoryException;

    // The exception's type (and for connection faults the kind), never its message: messages may quote keys.
    private static string Describe(Exception e) =>
        e is RedisConnectionException connection ? connection.FailureType.ToString() : e is TimeoutException ? "timeout" : e.GetType().Name;

    // While the client cannot log in, a command fails with "no connection available" (UnableToResolvePhysicalConnection);
    // the refusal itself is the inner exception.
    private static bool IsAuthenticationFailure(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is RedisConnectionException { FailureType: ConnectionFailureType.AuthenticationFailure })
                return true;
        }

        return false;
    }
}
