using Tickets.Core.Policy;
using Tickets.Core.Protocol;
using Tickets.Crypto;
using Tickets.Sessions;

namespace Tickets.Handshake;

/// <summary>Choosing a ticket to resume from the client's pre_shared_key (RFC 8446 §4.2.11).</summary>
internal sealed partial class ServerHandshake
{
    /// <summary>
    /// The first offered ticket we issued that still describes a usable session, with its binder checked (and,
    /// with single-use tickets, not spent before); null means a full handshake. A ticket we cannot use (unknown
    /// key or id, tampered, expired, other hash, already used) is
    /// not an error: the client simply gets a full handshake and fresh tickets. A binder that does not
    /// verify for a ticket we did accept is an error (decrypt_error), as RFC 8446 requires: the client
    /// either does not know the PSK or altered the ClientHello.
    /// </summary>
    /// <remarks>
    /// Asynchronous because with a fleet the session or the single-use mark lives in Redis; every such call is bounded
    /// by the fleet's operation timeout and answers "not found" when Redis is away.
    /// </remarks>
    private async ValueTask<AcceptedPsk?> TryAcceptPskAsync()
    {
        // Only psk_dhe_ke: a resumed session still gets forward secrecy from a fresh key exchange.
        if (!negotiation.PskDheKeOffered)
        {
            return null;
        }

        return await hello.PreSharedKey.MatchUnsafe(TryAcceptAsync, () => ValueTask.FromResult<AcceptedPsk?>(null)).ConfigureAwait(false);
    }

    private async ValueTask<AcceptedPsk?> TryAcceptAsync(OfferedPsks offered)
    {
        var now = clock().ToUnixTimeMilliseconds();
        // Tickets are looked up the way the server issues them now, as OpenSSL does: after switching to stateful
        // mode, earlier sealed tickets are simply not found.
        var mode = context.Settings.TicketMode;
        for (var index = 0; index < offered.Identities.Count; index++)
        {
            var identity = offered.Identities[index];
            var opened = await context.TicketProtection.OpenAsync(mode, identity.Identity).ConfigureAwait(false);
            var state = opened is null ? null : OpenedState(opened);
            if (state is null)
            {
                continue;
            }

            if (!Usable(state, identity, now))
            {
                // Expired or for another hash: its PSK is of no further use, so it does not linger either.
                System.Security.Cryptography.CryptographicOperations.ZeroMemory(state.ResumptionPsk);
                continue;
            }

            VerifyBinder(state, offered, index);
            // Spent only now that the binder proved the client holds the PSK: a forged hello cannot burn a ticket.
            var expires = DateTimeOffset.FromUnixTimeMilliseconds(state.IssuedAtUnixMilliseconds).AddSeconds(state.LifetimeSeconds);
            if (!await context.TicketProtection.ConsumeAsync(mode, identity.Identity, expires).ConfigureAwait(false))
            {
                continue;
            }

            return new AcceptedPsk(index, state);
        }

        return null;
    }

    /// <summary>Decodes an opened ticket and wipes its plaintext, which holds the PSK in the clear.</summary>
    private static SessionState? OpenedState(byte[] plaintext)
    {
        try
        {
            return SessionStateFormat.Decode(plaintext);
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    private bool Usable(SessionState state, PskIdentity identity, long now)
    {
        // The PSK belongs to a hash function: it can only be used with a suite of the same hash (§4.2.11).
        var ticketSuite = CipherSuiteParameters.TryFor((CipherSuite)state.CipherSuite);
        if (state.ProtocolVersion != ProtocolVersion.Tls13 || ticketSuite is null || ticketSuite.Hash != suite.Hash)
        {
            return false;
        }

        return ResumptionPolicy.Check(
            state.IssuedAtUnixMilliseconds, state.LifetimeSeconds, state.AgeAdd, identity.ObfuscatedTicketAge, now).Accepted;
    }

    /// <summary>
    /// The binder is a Finished-style MAC over the transcript up to this ClientHello's binders list,
    /// keyed from the PSK (§4.2.11.2); verifying it proves the client holds the PSK.
    /// </summary>
    private void VerifyBinder(SessionState state, OfferedPsks offered, int index)
    {
        using var early = new SecretChain(suite.Hash, state.ResumptionPsk);
        var binderKey = early.ResumptionBinderKey();
        var truncatedHash = transcript.CurrentWith(clientHelloMessage.AsSpan(0, offered.BindersOffset));
        var valid = KeySchedule.VerifyFinished(suite.Hash, binderKey, truncatedHash, offered.Binders[index]);
        System.Security.Cryptography.CryptographicOperations.ZeroMemory(binderKey);
        if (!valid)
        {
            throw new TlsAlertException(AlertDescription.DecryptError, "PSK binder does not verify");
        }
    }
}
