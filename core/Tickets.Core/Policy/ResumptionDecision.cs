using LanguageExt;
using Tickets.Core.Protocol;

namespace Tickets.Core.Policy;

/// <summary>Which offered identity, if any, the server resumes, and the verdict on every offered identity.</summary>
/// <param name="Chosen">The index of the identity to resume (the first accepted one); none means a full handshake.</param>
/// <param name="Verdicts">One verdict per offered identity, in the client's order, for logs and traces.</param>
public sealed record ResumptionDecision(Option<int> Chosen, Seq<ResumptionCheck> Verdicts)
{
    /// <summary>Whether a session is resumed.</summary>
    public bool Resumes => Chosen.IsSome;

    /// <summary>
    /// The key exchange mode the chosen PSK is used with: psk_dhe_ke, or psk_ke where the settings allow it and the
    /// client offered nothing else. Psk_dhe_ke when nothing was chosen.
    /// </summary>
    public PskKeyExchangeMode KeyExchangeMode { get; init; } = PskKeyExchangeMode.psk_dhe_ke;
}
