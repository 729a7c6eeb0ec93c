namespace Tickets.Trace;

/// <summary>
/// Receives a connection's trace events, synchronously and in order, on the thread doing the work (the analogue of
/// OpenSSL's SSL_CTX_set_msg_callback). Events of different connections may arrive concurrently. Keep it quick; an
/// exception thrown here fails the connection like any other internal error.
/// </summary>
public interface ITlsTraceSink
{
    void OnTrace(TlsTraceEvent traceEvent);
}

/// <summary>Adapters for callers who would rather pass a function (an F# lambda, a C# method group).</summary>
public static class TlsTraceSink
{
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
