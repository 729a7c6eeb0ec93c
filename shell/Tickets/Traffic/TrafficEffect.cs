using LanguageExt;
using Tickets.Authentication;
using Tickets.Core.Model;
using Tickets.Core.Protocol;
using Tickets.Crypto;

namespace Tickets.Traffic;

/// <summary>
/// What <see cref="TrafficState"/> asks the connection to do: it decides, the connection does the I/O, in the order the
/// effects come. Effects that write take the write turn; the others are carried out by whoever holds the read turn.
/// </summary>
internal abstract record TrafficEffect
{
    private TrafficEffect()
    {
    }

    /// <summary>The client moved to its next key (its KeyUpdate): the records after this one open with <see cref="Key"/>.</summary>
    public sealed record SwitchReadKey(RecordOpener Key) : TrafficEffect;

    /// <summary>
    /// The client asked us to update our key too (update_requested): our KeyUpdate (update_not_requested) goes out under
    /// the current key, and the next key protects everything after it (RFC 8446 §4.6.3).
    /// </summary>
    public sealed record UpdateWriteKey : TrafficEffect
    {
        /// <summary>The one instance: the effect carries nothing.</summary>
        public static UpdateWriteKey Instance { get; } = new();
    }

    /// <summary>
    /// Send the tickets of <see cref="Grant"/> in one write under the current key (after the handshake, after a
    /// post-handshake authentication, or on demand).
    /// </summary>
    public sealed record IssueTickets(TicketGrant Grant) : TrafficEffect
    {
        /// <summary>
        /// True for the flight after the handshake: it may leave with the connection's next write instead of on its own
        /// when the client's next record is already here, and in any case before a read waits for the client. Tickets
        /// someone waits for (after an authentication, on demand) go out at once.
        /// </summary>
        public bool MayWaitForNextWrite { get; init; }
    }

    /// <summary>
    /// Send <see cref="Authentication"/>'s CertificateRequest under the current key. The client's answer comes back
    /// through <see cref="TrafficState.ReceiveAsync"/>, and the authentication's Completion tells how it ended; if the
    /// request cannot be sent, the authentication fails.
    /// </summary>
    public sealed record AskForCertificate(PostHandshakeAuthentication Authentication) : TrafficEffect;

    /// <summary>
    /// The client's answer verified: send <see cref="Tickets"/> (the core's decision for the completed authentication,
    /// bound to its context), then complete <see cref="Authentication"/> with <see cref="Peer"/> and those tickets. If
    /// they cannot be sent, the authentication fails with the same error. Either way the authentication is then done.
    /// </summary>
    public sealed record CompleteAuthentication(PostHandshakeAuthentication Authentication, Option<PeerIdentity> Peer, IssueTickets Tickets)
        : TrafficEffect;

    /// <summary>The client broke the protocol: send <see cref="Alert"/> and close the connection.</summary>
    public sealed record Fail(AlertDescription Alert, string Reason) : TrafficEffect
    {
        /// <summary>The failure an alert exception from a codec or a check describes.</summary>
        public static Fail From(TlsAlertException error) => new(error.Alert, error.Message);
    }
}
