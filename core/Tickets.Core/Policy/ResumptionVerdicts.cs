namespace Tickets.Core.Policy;

/// <summary>Human sentences and short names for <see cref="ResumptionVerdict"/>.</summary>
public static class ResumptionVerdicts
{
    /// <summary>One sentence explaining the verdict, suitable for a log line.</summary>
    public static string Describe(this ResumptionVerdict verdict) => verdict switch
    {
        ResumptionVerdict.Accepted => "The ticket is fresh and the client's age agrees with the server's; resume.",
        ResumptionVerdict.Expired => "The ticket is older than its lifetime; fall back to a full handshake.",
        ResumptionVerdict.AgeInconsistent =>
            "The client's ticket age differs from the server's by more than the tolerance; fall back to a full handshake.",
        ResumptionVerdict.IssuedInFuture => "The ticket's issue time is after now; fall back to a full handshake.",
        ResumptionVerdict.BeyondIdentityCap => "The identity is beyond the few the server looks at; it was not even opened.",
        ResumptionVerdict.NotOpened =>
            "Neither a known external PSK nor a ticket that opens (unknown or retired key, tampered, unknown or evicted, older format); fall back to a full handshake.",
        ResumptionVerdict.AlreadyUsed => "The single-use ticket has resumed a session before; fall back to a full handshake.",
        ResumptionVerdict.ProtocolVersionMismatch => "The session was made with another TLS version; fall back to a full handshake.",
        ResumptionVerdict.HashMismatch =>
            "The session's cipher suite, or the external PSK, has another hash than the suite negotiated now; fall back to a full handshake.",
        ResumptionVerdict.AuthenticationContextMismatch =>
            "The ticket was issued under other client-certificate settings or trust anchors; fall back to a full handshake.",
        ResumptionVerdict.ClientNotVerified =>
            "A verified client certificate is required and the session has none; fall back to a full handshake, which asks for one.",
        ResumptionVerdict.ServerNameMismatch => "The session was made for another server name; fall back to a full handshake.",
        ResumptionVerdict.ApplicationProtocolMismatch =>
            "The session spoke another ALPN protocol than the one chosen now; fall back to a full handshake.",
        ResumptionVerdict.KeyExchangeModeRefused =>
            "The client offered only psk_ke (no (EC)DHE) and the server requires psk_dhe_ke; fall back to a full handshake.",
        _ => $"Unknown resumption verdict {(int)verdict}.",
    };

    /// <summary>A few words for the verdict, e.g. "authentication context differs", for one-line logs.</summary>
    public static string ShortName(this ResumptionVerdict verdict) => verdict switch
    {
        ResumptionVerdict.Accepted => "accepted",
        ResumptionVerdict.Expired => "expired",
        ResumptionVerdict.AgeInconsistent => "ticket age implausible",
        ResumptionVerdict.IssuedInFuture => "issued in the future",
        ResumptionVerdict.BeyondIdentityCap => "beyond the identity cap",
        ResumptionVerdict.NotOpened => "did not open",
        ResumptionVerdict.AlreadyUsed => "already used",
        ResumptionVerdict.ProtocolVersionMismatch => "other TLS version",
        ResumptionVerdict.HashMismatch => "other hash",
        ResumptionVerdict.AuthenticationContextMismatch => "authentication context differs",
        ResumptionVerdict.ClientNotVerified => "no verified client identity",
        ResumptionVerdict.ServerNameMismatch => "server name differs",
        ResumptionVerdict.ApplicationProtocolMismatch => "ALPN protocol differs",
        ResumptionVerdict.KeyExchangeModeRefused => "psk_ke not allowed",
        _ => $"verdict {(int)verdict}",
    };
}
