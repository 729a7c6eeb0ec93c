namespace Tickets.FSharp

open Tickets.Core.Model
open Tickets.Core.Policy
open Tickets.Core.Protocol

/// Builds the client's side of a resumption decision from F# values.
[<RequireQualifiedAccess>]
module ResumptionAttempt =

    /// <summary>
    /// What a ClientHello offers: the suite negotiated for it, its server name and ALPN protocol (if any), the server's
    /// clock in Unix milliseconds, and the offered identities in the client's order. psk_dhe_ke is its only mode.
    /// </summary>
    /// <param name="suite">The cipher suite negotiated for this handshake.</param>
    /// <param name="serverName">The ClientHello's server_name, if it sent one.</param>
    /// <param name="applicationProtocol">The ALPN protocol chosen for this ClientHello, if any.</param>
    /// <param name="nowMilliseconds">Now, in Unix milliseconds, on the clock the tickets' issue times use.</param>
    /// <param name="offered">The offered identities, in the client's order.</param>
    let create
        (suite: CipherSuite)
        (serverName: string option)
        (applicationProtocol: string option)
        (nowMilliseconds: int64)
        (offered: OfferedIdentity list)
        : ResumptionAttempt =
        ResumptionAttempt(
            suite,
            Option.toLanguageExt serverName,
            Option.toLanguageExt applicationProtocol,
            nowMilliseconds,
            LanguageExt.Prelude.toSeq (Array.ofList offered))

    /// <summary>One offered ticket: its obfuscated age and the session it opened to, if it opened.</summary>
    /// <param name="obfuscatedAge">The identity's obfuscated_ticket_age.</param>
    /// <param name="session">The session the ticket opened to; <c>None</c> when it did not open.</param>
    let ticket (obfuscatedAge: uint32) (session: ResumableSession option) : OfferedIdentity =
        OfferedTicket(obfuscatedAge, Option.toLanguageExt session)

/// Reads the core's <c>ResumptionDecision</c>.
[<RequireQualifiedAccess>]
module ResumptionDecision =

    /// <summary>The index of the identity to resume; <c>None</c> means a full handshake.</summary>
    /// <param name="decision">The decision to read.</param>
    let chosen (decision: ResumptionDecision) : int option = Option.ofLanguageExt decision.Chosen

    /// <summary>The verdict on each offered identity, in the client's order.</summary>
    /// <param name="decision">The decision to read.</param>
    let verdicts (decision: ResumptionDecision) : ResumptionVerdict list =
        decision.Verdicts |> Seq.map (fun check -> check.Verdict) |> List.ofSeq

/// The core's choice among offered tickets, as a function.
[<RequireQualifiedAccess>]
module ResumptionPolicy =

    /// <summary>
    /// Which offered identity the server resumes (the first accepted one) and the verdict on each. Never fails: a ticket
    /// that cannot be resumed means a full handshake, not an error.
    /// </summary>
    /// <param name="settings">What the server demands now.</param>
    /// <param name="attempt">What the ClientHello offers.</param>
    let decide (settings: ResumptionSettings) (attempt: ResumptionAttempt) : ResumptionDecision =
        ResumptionPolicy.Decide(settings, attempt)

/// Active patterns over resumption verdicts.
[<AutoOpen>]
module ResumptionVerdictPatterns =

    /// <summary>
    /// A verdict on one offered identity, grouped by why a refused one means a full handshake:
    /// <c>Accepted</c>; <c>Stale</c> (expired, an implausible client age, or issued in the future);
    /// <c>Unusable</c> (not opened, beyond the identity cap, or a single-use ticket already used);
    /// <c>MadeForOtherParameters</c> (another TLS version, hash, server name or ALPN protocol); and
    /// <c>RefusedByPolicy</c> (other client-authentication settings, no verified client where one is required, or psk_ke
    /// where the server requires psk_dhe_ke). The refusals carry the exact verdict.
    /// </summary>
    /// <param name="verdict">The verdict to classify.</param>
    /// <exception cref="T:System.ArgumentOutOfRangeException">The value is none of the enum's named cases.</exception>
    let (|Accepted|Stale|Unusable|MadeForOtherParameters|RefusedByPolicy|) (verdict: ResumptionVerdict) =
        match verdict with
        | ResumptionVerdict.Accepted -> Accepted
        | ResumptionVerdict.Expired
        | ResumptionVerdict.AgeInconsistent
        | ResumptionVerdict.IssuedInFuture -> Stale verdict
        | ResumptionVerdict.NotOpened
        | ResumptionVerdict.BeyondIdentityCap
        | ResumptionVerdict.AlreadyUsed -> Unusable verdict
        | ResumptionVerdict.ProtocolVersionMismatch
        | ResumptionVerdict.HashMismatch
        | ResumptionVerdict.ServerNameMismatch
        | ResumptionVerdict.ApplicationProtocolMismatch -> MadeForOtherParameters verdict
        | ResumptionVerdict.AuthenticationContextMismatch
        | ResumptionVerdict.ClientNotVerified
        | ResumptionVerdict.KeyExchangeModeRefused -> RefusedByPolicy verdict
        | other -> raise (System.ArgumentOutOfRangeException(nameof verdict, other, "not a resumption verdict the core knows"))
