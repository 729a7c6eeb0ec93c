namespace Tickets.Trace;

/// <summary>
/// Receives a connection's trace events, synchronously and in order, on the thread doing the work (the analogue of
/// OpenSSL's SSL_CTX_set_msg_callback). Events of different connections may arrive concurrently. Keep it quick; an
/// exception thrown here fails the connection like any other internal error.
/// </summary>
public interface ITlsTraceSink
{
    /// <summary>Called once per event, in the order the connection produced them.</summary>
    /// <param name="traceEvent">The event; immutable, so it may be kept or handed to another thread.</param>
    void OnTrace(TlsTraceEvent traceEvent);
}

/// <summary>Adapters for callers who would rather pass a function (an F# lambda, a C# method group).</summary>
public static class TlsTraceSink
{
    /// <summary>A sink that calls <paramref name="onTrace"/> for every event.</summary>
    /// <param name="onTrace">What to do with each event; the same rules as <see cref="ITlsTraceSink.OnTrace"/>.</param>
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
