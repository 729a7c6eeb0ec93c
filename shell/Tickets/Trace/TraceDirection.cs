namespace Tickets.Trace;

/// <summary>Which way a record or message travelled, seen from the server.</summary>
public enum TraceDirection
{
    /// <summary>From the client to us.</summary>
    Received,

    /// <summary>From us to the client.</summary>
    Sent,
}
