namespace Tickets.Core.Protocol;

/// <summary>Handshake message types (RFC 8446 §4).</summary>
public enum HandshakeType : byte
{
    /// <summary>ClientHello (§4.1.2).</summary>
    ClientHello = 1,

    /// <summary>ServerHello, and HelloRetryRequest, which is a ServerHello with a special random (§4.1.3, §4.1.4).</summary>
    ServerHello = 2,

    /// <summary>NewSessionTicket (§4.6.1).</summary>
    NewSessionTicket = 4,

    /// <summary>EndOfEarlyData (§4.5); this server never accepts early data, so never receives it.</summary>
    EndOfEarlyData = 5,

    /// <summary>EncryptedExtensions (§4.3.1).</summary>
    EncryptedExtensions = 8,

    /// <summary>Certificate (§4.4.2).</summary>
    Certificate = 11,

    /// <summary>CertificateRequest (§4.3.2).</summary>
    CertificateRequest = 13,

    /// <summary>CertificateVerify (§4.4.3).</summary>
    CertificateVerify = 15,

    /// <summary>Finished (§4.4.4).</summary>
    Finished = 20,

    /// <summary>KeyUpdate (§4.6.3).</summary>
    KeyUpdate = 24,

    /// <summary>Synthetic message that replaces ClientHello1 in the transcript after a HelloRetryRequest (§4.4.1).</summary>
    MessageHash = 254,
}
