using LanguageExt;
using Tickets.Core.Protocol;

namespace Tickets.Core.Model;

/// <summary>
/// The events after which a server may issue tickets. Closed: the constructor is private, so the four nested records
/// are the only cases and <see cref="Match{R}"/> covers them all.
/// </summary>
public abstract record HandshakeOutcome
{
    private HandshakeOutcome()
    {
    }

    /// <summary>A handshake without a PSK finished (the client's Finished verified).</summary>
    /// <param name="ClientOfferedPskModes">Whether the ClientHello carried psk_key_exchange_modes.</param>
    public sealed record FullHandshake(bool ClientOfferedPskModes) : HandshakeOutcome
    {
        /// <summary>A full handshake during which the client authenticated with a certificate.</summary>
        public FullHandshake(bool clientOfferedPskModes, Option<PeerIdentity> peer)
            : this(clientOfferedPskModes)
        {
            Peer = peer;
        }

        /// <summary>The identity the client proved during the handshake, if the server asked for one.</summary>
        public Option<PeerIdentity> Peer { get; init; }

        /// <summary>The ClientHello's ticket_request (RFC 9149), if the client sent one.</summary>
        public Option<TicketRequest> TicketRequest { get; init; }

        /// <inheritdoc />
        public override R Match<R>(
            Func<FullHandshake, R> full,
            Func<Resumption, R> resumption,
            Func<PostHandshakeAuthCompleted, R> postHandshakeAuth,
            Func<ExtraTicketsRequested, R> extraTickets) => full(this);
    }

    /// <summary>A handshake that accepted a ticket finished.</summary>
    /// <param name="ClientOfferedPskModes">Whether the ClientHello carried psk_key_exchange_modes.</param>
    /// <param name="RestoredPeer">The identity stored in the resumed session.</param>
    public sealed record Resumption(bool ClientOfferedPskModes, Option<PeerIdentity> RestoredPeer) : HandshakeOutcome
    {
        /// <summary>The ClientHello's ticket_request (RFC 9149), if the client sent one.</summary>
        public Option<TicketRequest> TicketRequest { get; init; }

        /// <inheritdoc />
        public override R Match<R>(
            Func<FullHandshake, R> full,
            Func<Resumption, R> resumption,
            Func<PostHandshakeAuthCompleted, R> postHandshakeAuth,
            Func<ExtraTicketsRequested, R> extraTickets) => resumption(this);
    }

    /// <summary>
    /// The client answered a post-handshake CertificateRequest and its Finished verified. <paramref name="Peer"/> is
    /// none when the client sent an empty Certificate: that still counts as a completed authentication (rule 5).
    /// </summary>
    public sealed record PostHandshakeAuthCompleted(Option<PeerIdentity> Peer) : HandshakeOutcome
    {
        /// <inheritdoc />
        public override R Match<R>(
            Func<FullHandshake, R> full,
            Func<Resumption, R> resumption,
            Func<PostHandshakeAuthCompleted, R> postHandshakeAuth,
            Func<ExtraTicketsRequested, R> extraTickets) => postHandshakeAuth(this);
    }

    /// <summary>The application asked for <paramref name="Count"/> tickets on top (SSL_new_session_ticket, once per ticket).</summary>
    public sealed record ExtraTicketsRequested(int Count) : HandshakeOutcome
    {
        /// <inheritdoc />
        public override R Match<R>(
            Func<FullHandshake, R> full,
            Func<Resumption, R> resumption,
            Func<PostHandshakeAuthCompleted, R> postHandshakeAuth,
            Func<ExtraTicketsRequested, R> extraTickets) => extraTickets(this);
    }

    /// <summary>Calls the function for this case; the compiler makes every caller handle all four.</summary>
    public abstract R Match<R>(
        Func<FullHandshake, R> full,
        Func<Resumption, R> resumption,
        Func<PostHandshakeAuthCompleted, R> postHandshakeAuth,
        Func<ExtraTicketsRequested, R> extraTickets);
}
