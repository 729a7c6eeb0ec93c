using Tickets.Core.Protocol;

namespace Tickets;

/// <summary>
/// The peer ended the connection: with an alert, or (when <see cref="Alert"/> is null) by closing the
/// transport. Nothing is sent back in either case; like <see cref="TlsAlertException"/> it stays inside
/// the engine.
/// </summary>
internal sealed class PeerAlertException(AlertDescription? alert)
    : Exception(alert is { } a ? $"the peer sent the alert {AlertNames.Of(a)}" : "the peer closed the connection")
{
    public AlertDescription? Alert { get; } = alert;
}
