using System.Security.Cryptography;
using Tickets.Core.Model;

namespace Tickets.TicketStore;

/// <summary>
/// What a ticket carries (sealed, so only this server can read it): enough to resume the session without any
/// server-side storage. <see cref="Session"/> is what the core decides with; the resumption PSK stays in the shell.
/// </summary>
/// <param name="Session">The facts the resumption decision needs, the core's own record.</param>
/// <param name="ResumptionPsk">The PSK, secret: whoever holds this array wipes it when done (<see cref="Wipe"/>).</param>
internal sealed record SessionState(ResumableSession Session, byte[] ResumptionPsk)
{
    /// <summary>Zeroes the PSK; the state is useless for resumption afterwards.</summary>
    public void Wipe() => CryptographicOperations.ZeroMemory(ResumptionPsk);
}
