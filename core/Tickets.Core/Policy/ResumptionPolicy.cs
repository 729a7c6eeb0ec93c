using LanguageExt;
using Tickets.Core.Model;
using Tickets.Core.Protocol;
using static LanguageExt.Prelude;

namespace Tickets.Core.Policy;

/// <summary>
/// Which of the tickets a client offers, if any, the server resumes (<see cref="Decide"/>), and the freshness check it
/// applies to each (<see cref="Check(long, uint, uint, uint, long)"/>). Pure: the shell opens the tickets, supplies the
/// time and the settings, and carries out the decision (binder, single use); the core reads no clock and holds no
/// secret.
/// </summary>
/// <remarks>
/// <para>Like Go's checkForResumption, but as one total function: each offered identity gets a verdict, and the first
/// accepted one is chosen. The rules, in the order they are applied (the first that fails names the verdict): the
/// identity cap; a key exchange mode the server allows among those the client offered (<see cref="KeyExchangeMode"/>);
/// then, for an external PSK, only the same hash as the suite negotiated now; for a ticket: the ticket opened (an
/// identity that is neither a known external PSK nor a ticket that opens is "not opened"); not spent; TLS 1.3; the
/// same hash as the suite negotiated now; issued before now,
/// within its lifetime (and seven days) and with a plausible client age; issued under the same client-authentication
/// context; a verified client identity when the server requires one; the same server name unless the settings allow a
/// change; the same ALPN protocol as the one chosen now. So a resumed connection is exactly the session it resumes:
/// same name, same protocol, same peer, same trust.</para>
/// <para>An external PSK has no age, lifetime, server name, protocol or authentication context to check: it is a key
/// the operator gave one client, valid until the operator withdraws it, and it authenticates that client itself (the
/// connection's peer is then <see cref="PeerIdentity.OfExternalPsk"/>). Its obfuscated_ticket_age is ignored, as
/// RFC 8446 §4.2.11 asks.</para>
/// <para>Lifetime: refused when the server-side age, in milliseconds, exceeds the ticket lifetime in seconds × 1000
/// (RFC 8446 §4.6.1; OpenSSL compares the same quantities in whole seconds).</para>
/// <para>Age consistency: the client's age is obfuscated_ticket_age − ticket_age_add modulo 2^32 (RFC 8446 §4.2.11.1).
/// It is accepted when it lies within <see cref="DefaultAgeToleranceMilliseconds"/> (10 s) of the server-side age in
/// either direction. 10 s is OpenSSL's TICKET_AGE_ALLOWANCE. OpenSSL uses that window only to decide whether early data
/// may be accepted; Tickets does not accept early data, so it applies the window to resumption itself: a client whose
/// age is that far off is replaying or has a broken clock, and refusing only costs a full handshake.</para>
/// </remarks>
public static class ResumptionPolicy
{
    /// <summary>The accepted gap between the client's and the server's view of a ticket's age: OpenSSL's 10 s.</summary>
    public const uint DefaultAgeToleranceMilliseconds = 10_000;

    /// <summary>
    /// How many offered identities the server looks at; later ones are not even opened. Real clients offer one ticket
    /// (OpenSSL, Go, rustls, NSS, Java and browsers all do); a client holding a few tickets, or an external PSK next to a
    /// ticket, may offer two or three. Four covers those, while bounding what one ClientHello can make the server do:
    /// every identity looked at is a decryption, and with a fleet in stateful mode a Redis lookup bounded by the Redis
    /// timeout, so the cap bounds a ClientHello's cost at four of each. Go looks at five; any small number does.
    /// </summary>
    public const int MaxIdentities = 4;

    /// <summary>
    /// Decides which offered identity to resume: the first one every rule accepts, or none (a full handshake). Total:
    /// every input gives a decision, with one verdict per offered identity.
    /// </summary>
    public static ResumptionDecision Decide(ResumptionSettings settings, ResumptionAttempt attempt)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(attempt);
        var mode = KeyExchangeMode(settings, attempt.OfferedModes, attempt.ClientOffersKeyExchange);
        var verdicts = new ResumptionCheck[attempt.Offered.Count];
        Option<int> chosen = None;
        var index = 0;
        foreach (var offered in attempt.Offered)
        {
            verdicts[index] = Judge(settings, attempt, mode.IsSome, offered, index);
            if (chosen.IsNone && verdicts[index].Accepted)
            {
                chosen = Some(index);
            }

            index++;
        }

        return new ResumptionDecision(chosen, toSeq(verdicts)) { KeyExchangeMode = mode.IfNone(PskKeyExchangeMode.psk_dhe_ke) };
    }

    /// <summary>
    /// The mode a PSK would be used with, given the modes the client offered: psk_dhe_ke whenever it is among them and
    /// the client sent key exchange extensions (a fresh (EC)DHE exchange keeps forward secrecy), else psk_ke when the
    /// client offered it and the settings allow it, else none (no PSK can be used). This is OpenSSL 3.0's choice with
    /// SSL_OP_ALLOW_NO_DHE_KEX: it prefers psk_dhe_ke when the client offers both, in whatever order they are listed
    /// (3.0 has no SSL_OP_PREFER_NO_DHE_KEX), and uses psk_ke for a client that offers both but sent no key_share.
    /// </summary>
    /// <param name="settings">The server's settings (<see cref="ResumptionSettings.AllowPskWithoutKeyExchange"/>).</param>
    /// <param name="offered">The ClientHello's psk_key_exchange_modes.</param>
    /// <param name="clientOffersKeyExchange">Whether the ClientHello carries supported_groups and key_share.</param>
    public static Option<PskKeyExchangeMode> KeyExchangeMode(
        ResumptionSettings settings, Seq<PskKeyExchangeMode> offered, bool clientOffersKeyExchange)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (clientOffersKeyExchange && offered.Exists(mode => mode == PskKeyExchangeMode.psk_dhe_ke))
        {
            return Some(PskKeyExchangeMode.psk_dhe_ke);
        }

        return settings.AllowPskWithoutKeyExchange && offered.Exists(mode => mode == PskKeyExchangeMode.psk_ke)
            ? Some(PskKeyExchangeMode.psk_ke)
            : None;
    }

    /// <summary>The verdict on one identity, the rules in the documented order.</summary>
    private static ResumptionCheck Judge(ResumptionSettings settings, ResumptionAttempt attempt, bool modeAllowed, OfferedIdentity offered, int index)
    {
        if (index >= MaxIdentities)
        {
            return Refused(ResumptionVerdict.BeyondIdentityCap);
        }

        if (!modeAllowed)
        {
            return Refused(ResumptionVerdict.KeyExchangeModeRefused);
        }

        return offered switch
        {
            OfferedTicket ticket => JudgeTicket(settings, attempt, ticket),
            OfferedExternalPsk external => JudgeExternalPsk(attempt, external),
            // Reachable only through a case added to the hierarchy without a rule here: refuse rather than resume.
            _ => Refused(ResumptionVerdict.NotOpened),
        };
    }

    /// <summary>An external PSK is bound to one hash (RFC 8446 §4.2.11): it can only be used with a suite of that hash.</summary>
    private static ResumptionCheck JudgeExternalPsk(ResumptionAttempt attempt, OfferedExternalPsk offered) =>
        HandshakeHashes.Of(attempt.CipherSuite).Case is HandshakeHash negotiated && negotiated == offered.Hash
            ? new ResumptionCheck(ResumptionVerdict.Accepted, 0, 0)
            : Refused(ResumptionVerdict.HashMismatch);

    /// <summary>The ticket rules, in the documented order.</summary>
    private static ResumptionCheck JudgeTicket(ResumptionSettings settings, ResumptionAttempt attempt, OfferedTicket offered)
    {
        if (offered.Session.Case is not ResumableSession session)
        {
            return Refused(ResumptionVerdict.NotOpened);
        }

        if (offered.Spent)
        {
            return Refused(ResumptionVerdict.AlreadyUsed);
        }

        if (session.ProtocolVersion != ProtocolVersion.Tls13)
        {
            return Refused(ResumptionVerdict.ProtocolVersionMismatch);
        }

        // The PSK belongs to a hash function: it can only be used with a suite of the same hash (§4.2.11).
        if (HandshakeHashes.Of(session.CipherSuite).Case is not HandshakeHash hash
            || HandshakeHashes.Of(attempt.CipherSuite).Case is not HandshakeHash negotiated
            || hash != negotiated)
        {
            return Refused(ResumptionVerdict.HashMismatch);
        }

        // Seven days at most whatever the ticket says (§4.6.1): we never issue longer, so a longer one is not ours.
        var lifetime = Math.Min(session.LifetimeSeconds, Context.MaxTicketLifetimeSeconds);
        var fresh = Check(
            session.IssuedAtMilliseconds, lifetime, session.AgeAdd, offered.ObfuscatedTicketAge, attempt.NowMilliseconds,
            settings.AgeToleranceMilliseconds);
        if (!fresh.Accepted)
        {
            return fresh;
        }

        if (session.AuthenticationContext != settings.AuthenticationContext)
        {
            return fresh with { Verdict = ResumptionVerdict.AuthenticationContextMismatch };
        }

        if (settings.AuthenticationContext.RequiresVerifiedClient && !session.Peer.Exists(peer => peer.Verified))
        {
            return fresh with { Verdict = ResumptionVerdict.ClientNotVerified };
        }

        if (!settings.AllowServerNameChange && !SameServerName(session.ServerName, attempt.ServerName))
        {
            return fresh with { Verdict = ResumptionVerdict.ServerNameMismatch };
        }

        if (!SameApplicationProtocol(session.ApplicationProtocol, attempt.ApplicationProtocol))
        {
            return fresh with { Verdict = ResumptionVerdict.ApplicationProtocolMismatch };
        }

        return fresh;
    }

    private static ResumptionCheck Refused(ResumptionVerdict verdict) => new(verdict, 0, 0);

    // Compared by hand, not with Option's ==: LanguageExt resolves Option equality through its type-class registry,
    // whose first use scans every loaded assembly and stalled the first resumption of a process for over a second.
    private static bool SameApplicationProtocol(Option<string> issued, Option<string> now) =>
        issued.Case switch
        {
            string a => now.Case is string b && string.Equals(a, b, StringComparison.Ordinal),
            _ => now.IsNone,
        };

    /// <summary>
    /// Host names compare without regard to ASCII case (RFC 6066 §3 names are DNS names, RFC 4343); no name matches
    /// only no name, so a ticket issued to a client that sent none (an IP address) resumes only without one.
    /// </summary>
    public static bool SameServerName(Option<string> issued, Option<string> now) =>
        issued.Case switch
        {
            string a => now.Case is string b && AsciiEqualIgnoringCase(a, b),
            _ => now.IsNone,
        };

    private static bool AsciiEqualIgnoringCase(string a, string b)
    {
        if (a.Length != b.Length)
        {
            return false;
        }

        for (var i = 0; i < a.Length; i++)
        {
            if (AsciiLower(a[i]) != AsciiLower(b[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static char AsciiLower(char c) => c is >= 'A' and <= 'Z' ? (char)(c + ('a' - 'A')) : c;

    /// <summary>Checks a ticket with the default 10 s tolerance.</summary>
    /// <param name="issuedAtMilliseconds">When the server issued the ticket, on the server's clock (ms).</param>
    /// <param name="lifetimeSeconds">The ticket_lifetime the ticket was issued with.</param>
    /// <param name="ageAdd">The ticket_age_add the ticket was issued with.</param>
    /// <param name="obfuscatedTicketAge">The obfuscated_ticket_age from the client's pre_shared_key identity.</param>
    /// <param name="nowMilliseconds">The current time on the same clock as <paramref name="issuedAtMilliseconds"/>.</param>
    public static ResumptionCheck Check(
        long issuedAtMilliseconds, uint lifetimeSeconds, uint ageAdd, uint obfuscatedTicketAge, long nowMilliseconds) =>
        Check(issuedAtMilliseconds, lifetimeSeconds, ageAdd, obfuscatedTicketAge, nowMilliseconds, DefaultAgeToleranceMilliseconds);

    /// <summary>Checks a ticket with an explicit tolerance, for servers with looser or stricter clocks.</summary>
    public static ResumptionCheck Check(
        long issuedAtMilliseconds,
        uint lifetimeSeconds,
        uint ageAdd,
        uint obfuscatedTicketAge,
        long nowMilliseconds,
        uint toleranceMilliseconds)
    {
        // Unchecked: the obfuscation is defined as addition modulo 2^32, so wrapping is the intended arithmetic.
        var clientAge = unchecked(obfuscatedTicketAge - ageAdd);

        if (nowMilliseconds < issuedAtMilliseconds)
        {
            return new ResumptionCheck(ResumptionVerdict.IssuedInFuture, 0, clientAge);
        }

        // now >= issued here, yet the difference still overflows long when the issue time is hugely negative;
        // saturate rather than wrap so a bogus issue time reads as "very old" and expires.
        var serverAge = nowMilliseconds - issuedAtMilliseconds;
        if (serverAge < 0)
        {
            serverAge = long.MaxValue;
        }

        if (serverAge > lifetimeSeconds * 1000L)
        {
            return new ResumptionCheck(ResumptionVerdict.Expired, serverAge, clientAge);
        }

        var gap = Math.Abs(serverAge - clientAge);
        return gap > toleranceMilliseconds
            ? new ResumptionCheck(ResumptionVerdict.AgeInconsistent, serverAge, clientAge)
            : new ResumptionCheck(ResumptionVerdict.Accepted, serverAge, clientAge);
    }
}
