namespace Tickets.Trace;

/// <summary>
/// Which message an extension sits in. The same code point means different things in different messages
/// (key_share is a list in ClientHello, one entry in ServerHello and only a group in HelloRetryRequest), so the
/// dissector needs to know where it is.
/// </summary>
internal enum ExtensionContext
{
    ClientHello,
    ServerHello,
    HelloRetryRequest,
    EncryptedExtensions,
    Certificate,
    CertificateRequest,
    NewSessionTicket,
}
