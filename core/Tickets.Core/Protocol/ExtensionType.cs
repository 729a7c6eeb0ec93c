namespace Tickets.Core.Protocol;

/// <summary>
/// Extension code points this server reads or writes. Other values arrive as plain numbers
/// (C# enums hold any ushort), are kept raw and otherwise ignored.
/// </summary>
public enum ExtensionType : ushort
{
    /// <summary>server_name (RFC 6066): the host name the client wants.</summary>
    ServerName = 0,

    /// <summary>max_fragment_length (RFC 6066): never answered here.</summary>
    MaxFragmentLength = 1,

    /// <summary>status_request (RFC 6066): OCSP stapling; never answered here.</summary>
    StatusRequest = 5,

    /// <summary>supported_groups (§4.2.7): the key exchange groups the client supports.</summary>
    SupportedGroups = 10,

    /// <summary>ec_point_formats (RFC 8422): TLS 1.2 and older only.</summary>
    EcPointFormats = 11,

    /// <summary>signature_algorithms (§4.2.3): the schemes accepted in CertificateVerify.</summary>
    SignatureAlgorithms = 13,

    /// <summary>use_srtp (RFC 5764).</summary>
    UseSrtp = 14,

    /// <summary>heartbeat (RFC 6520).</summary>
    Heartbeat = 15,

    /// <summary>application_layer_protocol_negotiation (RFC 7301): ALPN.</summary>
    ApplicationLayerProtocolNegotiation = 16,

    /// <summary>signed_certificate_timestamp (RFC 6962).</summary>
    SignedCertificateTimestamp = 18,

    /// <summary>client_certificate_type (RFC 7250).</summary>
    ClientCertificateType = 19,

    /// <summary>server_certificate_type (RFC 7250).</summary>
    ServerCertificateType = 20,

    /// <summary>padding (RFC 7685): filler a client adds to reach a size.</summary>
    Padding = 21,

    /// <summary>encrypt_then_mac (RFC 7366): TLS 1.2 and older only.</summary>
    EncryptThenMac = 22,

    /// <summary>extended_master_secret (RFC 7627): TLS 1.2 and older only.</summary>
    ExtendedMasterSecret = 23,

    /// <summary>compress_certificate (RFC 8879).</summary>
    CompressCertificate = 27,

    /// <summary>record_size_limit (RFC 8449).</summary>
    RecordSizeLimit = 28,

    /// <summary>session_ticket (RFC 5077): TLS 1.2 tickets.</summary>
    SessionTicket = 35,

    /// <summary>pre_shared_key (§4.2.11): the offered PSK identities and binders; always last in a ClientHello.</summary>
    PreSharedKey = 41,

    /// <summary>early_data (§4.2.10).</summary>
    EarlyData = 42,

    /// <summary>supported_versions (§4.2.1): the versions the client offers, or the one the server chose.</summary>
    SupportedVersions = 43,

    /// <summary>cookie (§4.2.2): state a HelloRetryRequest hands the client to echo.</summary>
    Cookie = 44,

    /// <summary>psk_key_exchange_modes (§4.2.9).</summary>
    PskKeyExchangeModes = 45,

    /// <summary>certificate_authorities (§4.2.4).</summary>
    CertificateAuthorities = 47,

    /// <summary>oid_filters (§4.2.5).</summary>
    OidFilters = 48,

    /// <summary>post_handshake_auth (§4.2.6): the client accepts a CertificateRequest after the handshake.</summary>
    PostHandshakeAuth = 49,

    /// <summary>signature_algorithms_cert (§4.2.3): the schemes accepted in certificates.</summary>
    SignatureAlgorithmsCert = 50,

    /// <summary>key_share (§4.2.8).</summary>
    KeyShare = 51,

    /// <summary>ticket_request (RFC 9149): how many tickets the client would like.</summary>
    TicketRequest = 58,

    /// <summary>renegotiation_info (RFC 5746): TLS 1.2 and older only.</summary>
    RenegotiationInfo = 0xff01,
}
