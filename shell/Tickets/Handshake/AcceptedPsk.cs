using System.Security.Cryptography;
using LanguageExt;
using Tickets.Core;
using Tickets.Core.Model;
using Tickets.Core.Protocol;
using Tickets.TicketStore;

namespace Tickets.Handshake;

/// <summary>
/// The PSK the handshake continues with: which offered identity it was, the key, and either the session its ticket
/// carried or the external PSK's identity. It owns the key and wipes it when disposed.
/// </summary>
internal sealed class AcceptedPsk : IDisposable
{
    private readonly SessionState? ticket;
    private readonly byte[]? externalKey;

    private AcceptedPsk(int identityIndex, PskKeyExchangeMode mode, SessionState? ticket, byte[]? externalKey, Option<PeerIdentity> peer)
    {
        IdentityIndex = identityIndex;
        Mode = mode;
        this.ticket = ticket;
        this.externalKey = externalKey;
        Peer = peer;
    }

    /// <summary>A ticket's session, resumed; the state (and its PSK) is the accepted PSK's from here on.</summary>
    public static AcceptedPsk FromTicket(int identityIndex, PskKeyExchangeMode mode, SessionState state) =>
        new(identityIndex, mode, state, null, state.Session.Peer);

    /// <summary>An external PSK whose binder verified; <paramref name="key"/> is the accepted PSK's from here on.</summary>
    public static AcceptedPsk FromExternal(int identityIndex, PskKeyExchangeMode mode, byte[] key, Bytes identity) =>
        new(identityIndex, mode, null, key, PeerIdentity.OfExternalPsk(identity));

    /// <summary>The index of the identity in the client's pre_shared_key, echoed in ServerHello.</summary>
    public int IdentityIndex { get; }

    /// <summary>psk_dhe_ke, or psk_ke (no key share in ServerHello, no (EC)DHE in the key schedule).</summary>
    public PskKeyExchangeMode Mode { get; }

    /// <summary>True for an external PSK, false for a ticket.</summary>
    public bool IsExternal => ticket is null;

    /// <summary>The PSK itself, for the key schedule; wiped on <see cref="Dispose"/>.</summary>
    public byte[] Key => ticket?.ResumptionPsk ?? externalKey!;

    /// <summary>The session a ticket carried; null for an external PSK, which starts a new session.</summary>
    public ResumableSession? Session => ticket?.Session;

    /// <summary>Who the client is: the identity the ticket's session carries, or the external PSK's holder.</summary>
    public Option<PeerIdentity> Peer { get; }

    public void Dispose()
    {
        ticket?.Wipe();
        if (externalKey is not null)
        {
            CryptographicOperations.ZeroMemory(externalKey);
        }
    }
}
