namespace Tickets.Core.Model;

/// <summary>Human sentences for <see cref="DecisionReason"/>, kept apart so the enum stays a plain value.</summary>
public static class DecisionReasons
{
    /// <summary>One sentence explaining the decision, suitable for a log line.</summary>
    public static string Describe(this DecisionReason reason) => reason switch
    {
        DecisionReason.FullHandshakeCount =>
            "A full handshake completed, so the connection's ticket count was issued.",
        DecisionReason.ResumedAtMostOne =>
            "The handshake resumed a session, so at most one ticket was issued whatever the count.",
        DecisionReason.CountZero =>
            "The connection's ticket count is zero, so no ticket was issued.",
        DecisionReason.PostHandshakeAuthRestart =>
            "Post-handshake authentication completed, so the sent count restarted and the ticket count was issued again.",
        DecisionReason.PostHandshakeAuthResumedAtMostOne =>
            "Post-handshake authentication completed on a resumed connection, so at most one ticket was issued.",
        DecisionReason.ExtraTicketsRequested =>
            "The application asked for extra tickets, issued on top of the count and the resumption cap.",
        DecisionReason.StrictPskModesNone =>
            "Strict mode is on and the client sent no psk_key_exchange_modes, so no ticket was issued (RFC 8446 4.2.9).",
        DecisionReason.TicketRequestHonoured =>
            "The client sent ticket_request (RFC 9149), so the count it asked for, capped by the server's maximum, was issued.",
        _ => $"Unknown decision reason {(int)reason}.",
    };
}
