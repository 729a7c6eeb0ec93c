using System.Security.Cryptography;
using LanguageExt;
using Tickets.Core.Policy;
using Tickets.Core.Protocol;
using Tickets.Crypto;

namespace Tickets.Handshake;

/// <summary>
/// External PSKs (RFC 8446 §4.2.11): finding the ones a ClientHello names through the context's
/// <see cref="TicketServerContext.FindExternalPsk"/>, and accepting the one the core chose. Kept apart from tickets:
/// a ticket is opened and spent through the ticket store, an external PSK is only looked up.
/// </summary>
internal sealed partial class ServerHandshake
{
    /// <summary>
    /// The external PSK each of the first <see cref="ResumptionPolicy.MaxIdentities"/> offered identities names, or
    /// null; identities past the cap are not looked up, like tickets past it are not opened. Asked first, as OpenSSL
    /// asks its find-session callback before decrypting a ticket: an identity found here is never opened as a ticket.
    /// </summary>
    private ExternalPsk?[] FindExternalPsks(OfferedPsks offered)
    {
        var found = new ExternalPsk?[offered.Identities.Count];
        if (context.FindExternalPsk is not { } find)
        {
            return found;
        }

        for (var index = 0; index < Math.Min(found.Length, ResumptionPolicy.MaxIdentities); index++)
        {
            try
            {
                found[index] = find(offered.Identities[index].Identity);
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                // The application's callback failed: nothing the client did, and nothing it should learn more about.
                throw new TlsAlertException(AlertDescription.InternalError, $"external PSK lookup failed ({error.GetType().Name})");
            }
        }

        return found;
    }

    /// <summary>
    /// The hash of the first external PSK the ClientHello names, which the suite negotiation then prefers: a server
    /// preferring a SHA-256 suite would otherwise leave a SHA-384 PSK unusable for a client offering both hashes.
    /// </summary>
    private Option<HandshakeHash> ExternalPskHash(ClientHello clientHello) =>
        clientHello.PreSharedKey.Case is OfferedPsks offered
            ? FindExternalPsks(offered).Where(psk => psk is not null).Select(psk => psk!.Hash).HeadOrNone()
            : Option<HandshakeHash>.None;

    /// <summary>
    /// Accepts the external PSK the core chose: copies its key, verifies the identity's binder with it (the "ext binder"
    /// label), and hands the copy to the accepted PSK. A PSK disposed since it was found is treated as one that was
    /// never known: null, and the caller goes on as if the core had chosen nothing.
    /// </summary>
    private AcceptedPsk? AcceptExternalPsk(ExternalPsk found, OfferedPsks offered, int index, PskKeyExchangeMode mode)
    {
        var key = found.CopyKey();
        if (key is null)
        {
            return null;
        }

        try
        {
            VerifyBinder(key, external: true, offered, index);
        }
        catch
        {
            CryptographicOperations.ZeroMemory(key);
            throw;
        }

        return AcceptedPsk.FromExternal(index, mode, key, offered.Identities[index].Identity);
    }
}
