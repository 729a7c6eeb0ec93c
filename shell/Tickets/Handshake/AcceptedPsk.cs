using Tickets.TicketStore;

namespace Tickets.Handshake;

/// <summary>The ticket we resume from: which offered identity it was, and the session it carried.</summary>
internal sealed class AcceptedPsk(int identityIndex, SessionState state) : IDisposable
{
    public int IdentityIndex { get; } = identityIndex;

    public SessionState State { get; } = state;

    public void Dispose() => State.Wipe();
}
