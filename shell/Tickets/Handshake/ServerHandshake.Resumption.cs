using System.Security.Cryptography;
using LanguageExt;
using Tickets.Core.Policy;
using Tickets.Core.Protocol;
using Tickets.Crypto;
using Tickets.TicketStore;

namespace Tickets.Handshake;

/// <summary>Choosing the PSK to continue with from the client's pre_shared_key (RFC 8446 §4.2.11): a ticket or an external PSK.</summary>
internal sealed partial class ServerHandshake
{
    /// <summary>
    /// The core's last decision on the offered identities, with a verdict per identity; null when the client offered
    /// none.
    /// </summary>
    public ResumptionDecision? Resumption { get; private set; }

    /// <summary>
    /// The PSK to continue with, or null for a full handshake. The shell only does what needs keys or storage: it finds
    /// the external PSKs and opens the tickets the core will look at, asks the core (<see cref="ResumptionPolicy.Decide"/>),
    /// verifies the chosen identity's binder and spends the ticket when tickets are single use. An identity the core
    /// refuses is not an error: the client gets a full handshake and fresh tickets. A binder that does not verify for
    /// the chosen identity is decrypt_error, as RFC 8446 requires: the client either does not hold the PSK or altered
    /// the ClientHello.
    /// </summary>
    /// <remarks>
    /// <para>Single use: a ticket is spent only after its binder verified, so a forged ClientHello cannot burn it. When
    /// spending fails (the ticket resumed before, here or on another member of the fleet, or the fleet cannot tell), the
    /// core is asked again with that identity marked spent, and the next usable identity, if any, goes through the same
    /// steps: each round spends or excludes one identity, so this ends within the identity cap. External PSKs are never
    /// spent: they are the operator's keys, good until withdrawn.</para>
    /// <para>Asynchronous because the ticket store may keep sessions or single-use marks elsewhere (a fleet's in Redis,
    /// where every call is bounded by the fleet's operation timeout and answers "not found" when Redis is away).</para>
    /// <para>Every PSK copy opened here is wiped before this returns, on every path, exceptions included, except the
    /// one handed to the accepted PSK, which the handshake wipes when it is disposed.</para>
    /// </remarks>
    private async ValueTask<AcceptedPsk?> TryAcceptPskAsync(CancellationToken cancellationToken)
    {
        if (hello.PreSharedKey.Case is not OfferedPsks offered)
        {
            return null;
        }

        var settings = context.ResumptionSettings(authentication);
        var modes = Prelude.toSeq(hello.PskKeyExchangeModes.IfNone([]));
        // No mode the server allows (psk_ke alone, not allowed): the core refuses every identity, so none is opened.
        var usable = ResumptionPolicy.KeyExchangeMode(settings, modes, negotiation.OffersKeyExchange).IsSome;
        var external = usable ? FindExternalPsks(offered) : new ExternalPsk?[offered.Identities.Count];
        // One store and one mode for the whole choice, even if the context is reconfigured meanwhile.
        var tickets = new HandshakeTickets(context.TicketStore, context.Settings.TicketMode, context.SingleUseTickets, cancellationToken);
        var opened = new SessionState?[offered.Identities.Count];
        try
        {
            // Tickets are opened the way the server issues them now, as OpenSSL does: after switching to stateful mode,
            // earlier sealed tickets are simply not found. Identities past the cap are not even opened.
            for (var index = 0; usable && index < Math.Min(opened.Length, ResumptionPolicy.MaxIdentities); index++)
            {
                if (external[index] is null)
                {
                    opened[index] = await tickets.OpenAsync(offered.Identities[index].Identity).ConfigureAwait(false);
                }
            }

            var attempt = new ResumptionAttempt(
                negotiation.CipherSuite,
                negotiation.ServerName,
                negotiation.ApplicationProtocol,
                context.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds(),
                Prelude.toSeq(offered.Identities.Select((identity, index) => external[index] is { } psk
                    ? (OfferedIdentity)new OfferedExternalPsk(psk.Hash)
                    : new OfferedTicket(identity.ObfuscatedTicketAge, Prelude.Optional(opened[index]?.Session))).ToArray()))
            {
                OfferedModes = modes,
                ClientOffersKeyExchange = negotiation.OffersKeyExchange,
            };
            while (true)
            {
                var decision = ResumptionPolicy.Decide(settings, attempt);
                Resumption = decision;
                channel.Records.Trace?.ResumptionDecided(decision);
                if (decision.Chosen.Case is not int chosen)
                {
                    return null;
                }

                if (external[chosen] is { } found)
                {
                    return AcceptExternalPsk(found, offered, chosen, decision.KeyExchangeMode);
                }

                var state = opened[chosen]!;
                VerifyBinder(state.ResumptionPsk, external: false, offered, chosen);
                if (await tickets.SpendAsync(offered.Identities[chosen].Identity, state).ConfigureAwait(false))
                {
                    // The accepted PSK owns this copy from here on.
                    opened[chosen] = null;
                    return AcceptedPsk.FromTicket(chosen, decision.KeyExchangeMode, state);
                }

                attempt = attempt.Spend(chosen);
            }
        }
        finally
        {
            foreach (var state in opened)
            {
                state?.Wipe();
            }
        }
    }

    /// <summary>The store's three verbs as this handshake uses them: in one mode, decoding what it opens.</summary>
    private readonly record struct HandshakeTickets(ITicketStore Store, Core.Model.TicketMode Mode, bool SingleUse, CancellationToken CancellationToken)
    {
        /// <summary>The session state behind a ticket, or null; the opened plaintext, which holds the PSK, is wiped either way.</summary>
        public async ValueTask<SessionState?> OpenAsync(ReadOnlyMemory<byte> ticket)
        {
            var plaintext = await Store.OpenAsync(Mode, ticket, CancellationToken).ConfigureAwait(false);
            if (plaintext is null)
            {
                return null;
            }

            try
            {
                return SessionStateFormat.Decode(plaintext);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(plaintext);
            }
        }

        /// <summary>True when the ticket may resume now: always without single use; with it, only the first time.</summary>
        public async ValueTask<bool> SpendAsync(ReadOnlyMemory<byte> ticket, SessionState state)
        {
            if (!SingleUse)
            {
                return true;
            }

            var session = state.Session;
            var expires = DateTimeOffset.FromUnixTimeMilliseconds(session.IssuedAtMilliseconds).AddSeconds(session.LifetimeSeconds);
            return await Store.ConsumeAsync(Mode, ticket, expires, CancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The binder is a Finished-style MAC over the transcript up to this ClientHello's binders list, keyed from the PSK
    /// with the "res binder" label for a ticket and "ext binder" for an external PSK (§4.2.11.2, §7.1), compared in
    /// constant time; verifying it proves the client holds the PSK. A binder that does not verify is decrypt_error
    /// (RFC 8446 §6.2; OpenSSL 3.0 sends illegal_parameter).
    /// </summary>
    private void VerifyBinder(byte[] psk, bool external, OfferedPsks offered, int index)
    {
        bool valid;
        using (var early = new SecretChain(suite.Hash, psk))
        {
            var binderKey = external ? early.ExternalBinderKey() : early.ResumptionBinderKey();
            try
            {
                var truncatedHash = transcript.CurrentWith(clientHelloMessage.AsSpan(0, offered.BindersOffset));
                valid = KeySchedule.VerifyFinished(suite.Hash, binderKey, truncatedHash, offered.Binders[index]);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(binderKey);
            }
        }

        if (!valid)
        {
            throw new TlsAlertException(AlertDescription.DecryptError, "PSK binder does not verify");
        }
    }
}
