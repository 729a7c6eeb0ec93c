namespace Tickets.Core.Model;

/// <summary>
/// How the server remembers the session a ticket resumes.
/// </summary>
/// <remarks>
/// OpenSSL's default is a self-contained encrypted ticket; with SSL_OP_NO_TICKET a TLS 1.3 server still sends
/// NewSessionTicket messages but their bodies are keys into a server-side cache. The number of tickets issued is the
/// same in both modes (rule 8), so the policy never reads this value: only the shell, which builds the ticket bytes, does.
/// </remarks>
public enum TicketMode
{
    /// <summary>The ticket is the sealed session itself (OpenSSL default).</summary>
    Stateless,

    /// <summary>The ticket is an identifier of a session kept by the server (SSL_OP_NO_TICKET).</summary>
    Stateful,
}
