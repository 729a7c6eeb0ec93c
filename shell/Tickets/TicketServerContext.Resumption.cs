using Tickets.Core.Policy;

namespace Tickets;

/// <summary>How strict resumption is beyond what the client-authentication settings decide.</summary>
public sealed partial class TicketServerContext
{
    private volatile bool resumeAcrossServerNames;

    /// <summary>
    /// When true, a ticket resumes whatever server name (SNI) the client sends now, and the connection reports the name
    /// the session was made for. Off by default, as in rustls: a session made for one name gets a full handshake under
    /// another (and a ticket issued to a client that sent no name resumes only without one). Turn it on only when every
    /// name this server answers for belongs to the same party, with the same certificate.
    /// </summary>
    public bool ResumeAcrossServerNames
    {
        get => resumeAcrossServerNames;
        set => resumeAcrossServerNames = value;
    }

    /// <summary>What the core needs of this context to decide a resumption under <paramref name="policy"/>.</summary>
    internal ResumptionSettings ResumptionSettings(Authentication.ClientAuthenticationPolicy policy) =>
        new(policy.Context) { AllowServerNameChange = ResumeAcrossServerNames, AllowPskWithoutKeyExchange = AllowPskWithoutKeyExchange };
}
