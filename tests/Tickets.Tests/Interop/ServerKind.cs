namespace Tickets.Tests.Interop;

/// <summary>Which server a client scenario runs against.</summary>
public enum ServerKind
{
    /// <summary>`tickets serve`, the program under test.</summary>
    Tickets,

    /// <summary>`openssl s_server -tls1_3 -num_tickets N -www`: OpenSSL 3.0 itself, the behaviour being reproduced.</summary>
    OpenSslReference,
}
