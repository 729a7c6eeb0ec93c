using Tickets.Core.Protocol;

namespace Tickets.Authentication;

/// <summary>
/// What chain building concluded about a client certificate: whether it verified, a short human result ("ok" or the
/// chain problems), and the alert a server that requires a verified certificate sends when it did not.
/// </summary>
internal sealed record ChainVerdict(bool Verified, string Result, AlertDescription Alert);
