namespace Tickets.Trace;

/// <summary>
/// Receives a connection's trace events, synchronously and in order, on the thread doing the work (the analogue of
/// OpenSSL's SSL_CTX_set_msg_callback). Events of different connections may arrive concurrently. Keep it quick; an
/// exception thrown here fails the connection like any other internal error.
/// </summary>
public interface ITlsTraceSink
{
    /// <summary>One event of one connection, on the thread that caused it.</summary>
    /// <param name="traceEvent">The event; immutable, so it may be kept.</param>
    void OnTrace(TlsTraceEvent traceEvent);
}

/// <summary>Adapters for callers who would rather pass a function (an F# lambda, a C# method group).</summary>
public static class TlsTraceSink
{
    /// <summary>A sink that calls <paramref name="onTrace"/> with each event.</summary>
    public static ITlsTraceSink FromAction(Action<TlsTraceEvent> onTrace)
    {
        ArgumentNullException.ThrowIfNull(onTrace);
        return new ActionSink(onTrace);
    }

    private sealed class ActionSink(Action<TlsTraceEvent> onTrace) : ITlsTraceSink
    {
        public void OnTrace(TlsTraceEvent traceEvent) => onTrace(traceEvent);
    }
}
