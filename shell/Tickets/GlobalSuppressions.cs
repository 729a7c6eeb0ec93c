using System.Diagnostics.CodeAnalysis;

// RS0026 (PublicApiAnalyzers) warns against two public overloads that both take optional parameters, since adding a
// parameter later breaks callers compiled against one of them. TicketServerContext's two constructors (a certificate
// with its key, or a certificate with a PKCS#8 key) are such a pair; the options object planned for the server API
// replaces them, and this suppression goes with them.
[assembly: SuppressMessage(
    "ApiDesign",
    "RS0026:Do not add multiple public overloads with optional parameters",
    Justification = "Both constructors are replaced by the server options object.",
    Scope = "member",
    Target = "~M:Tickets.TicketServerContext.#ctor(System.Security.Cryptography.X509Certificates.X509Certificate2,System.Collections.Generic.IEnumerable{System.Security.Cryptography.X509Certificates.X509Certificate2},System.TimeProvider)")]
[assembly: SuppressMessage(
    "ApiDesign",
    "RS0026:Do not add multiple public overloads with optional parameters",
    Justification = "Both constructors are replaced by the server options object.",
    Scope = "member",
    Target = "~M:Tickets.TicketServerContext.#ctor(System.Security.Cryptography.X509Certificates.X509Certificate2,System.ReadOnlySpan{System.Byte},System.Collections.Generic.IEnumerable{System.Security.Cryptography.X509Certificates.X509Certificate2},System.TimeProvider)")]
