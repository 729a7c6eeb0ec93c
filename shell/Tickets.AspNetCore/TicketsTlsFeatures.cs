using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Tickets.Core.Model;

namespace Tickets.AspNetCore;

/// <summary>
/// What Kestrel and the application learn of a completed Tickets handshake, through the same features
/// <c>UseHttps</c> sets: the client certificate, the negotiated protocol, suite and server name, the ALPN protocol
/// (which Kestrel reads to choose HTTP/2 or HTTP/1.1), and the Tickets connection itself.
/// </summary>
internal sealed class TicketsTlsFeatures(TicketServerConnection connection)
    : ITlsConnectionFeature, ITlsHandshakeFeature, ITlsApplicationProtocolFeature, ITicketsConnectionFeature, IDisposable
{
    private readonly object gate = new();
    private readonly ReadOnlyMemory<byte> applicationProtocol = connection.NegotiatedApplicationProtocol.Protocol;
    private PeerIdentity? certificateOf;
    private X509Certificate2? certificate;
    // Every certificate object handed out, disposed with the connection (a request may still hold an earlier one).
    private readonly List<X509Certificate2> made = [];
    private X509Certificate2? assigned;
    private bool assignedByApplication;
    private bool disposed;

    public TicketServerConnection Connection => connection;

    /// <summary>
    /// The client's leaf certificate as proven in the handshake or by the latest post-handshake authentication (or
    /// restored from the ticket a resumption used); null when the client presented none. Middleware may replace it, as
    /// with Kestrel's own feature.
    /// </summary>
    public X509Certificate2? ClientCertificate
    {
        get
        {
            lock (gate)
            {
                return assignedByApplication ? assigned : CurrentPeerCertificate();
            }
        }

        set
        {
            lock (gate)
            {
                assigned = value;
                assignedByApplication = true;
            }
        }
    }

    /// <summary>
    /// The certificate the client has proven by now. This does not ask the client: post-handshake authentication is a
    /// decision of the application (<see cref="TicketServerConnection.VerifyClientPostHandshakeAsync"/>).
    /// </summary>
    public Task<X509Certificate2?> GetClientCertificateAsync(CancellationToken cancellationToken) =>
        Task.FromResult(ClientCertificate);

    public SslProtocols Protocol => connection.SslProtocol;

    public TlsCipherSuite? NegotiatedCipherSuite => connection.NegotiatedCipherSuite;

    public string HostName => connection.TargetHostName;

    // The members below describe TLS 1.2-era suites and are obsolete in .NET; they are answered from the TLS 1.3
    // suite: the AEAD and its key size, the suite's hash, and no separate key exchange algorithm (TLS 1.3 suites do
    // not name one). ChaCha20-Poly1305 has no CipherAlgorithmType value, so it reports None with its 256-bit key.
#pragma warning disable SYSLIB0058 // obsolete members of the interface we implement
    public CipherAlgorithmType CipherAlgorithm => connection.NegotiatedCipherSuite switch
    {
        TlsCipherSuite.TLS_AES_128_GCM_SHA256 or TlsCipherSuite.TLS_AES_128_CCM_SHA256 or TlsCipherSuite.TLS_AES_128_CCM_8_SHA256 => CipherAlgorithmType.Aes128,
        TlsCipherSuite.TLS_AES_256_GCM_SHA384 => CipherAlgorithmType.Aes256,
        _ => CipherAlgorithmType.None,
    };

    public int CipherStrength => connection.NegotiatedCipherSuite switch
    {
        TlsCipherSuite.TLS_AES_128_GCM_SHA256 or TlsCipherSuite.TLS_AES_128_CCM_SHA256 or TlsCipherSuite.TLS_AES_128_CCM_8_SHA256 => 128,
        TlsCipherSuite.TLS_AES_256_GCM_SHA384 or TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256 => 256,
        _ => 0,
    };

    public HashAlgorithmType HashAlgorithm => connection.NegotiatedCipherSuite switch
    {
        TlsCipherSuite.TLS_AES_256_GCM_SHA384 => HashAlgorithmType.Sha384,
        TlsCipherSuite.TLS_NULL_WITH_NULL_NULL => HashAlgorithmType.None,
        _ => HashAlgorithmType.Sha256,
    };

    public int HashStrength => 0;

    public ExchangeAlgorithmType KeyExchangeAlgorithm => ExchangeAlgorithmType.None;

    public int KeyExchangeStrength => 0;
#pragma warning restore SYSLIB0058

    public ReadOnlyMemory<byte> ApplicationProtocol => applicationProtocol;

    /// <summary>Disposes the certificate objects made from the client's DER (not one the application assigned).</summary>
    public void Dispose()
    {
        lock (gate)
        {
            disposed = true;
            certificate = null;
            foreach (var each in made)
            {
                each.Dispose();
            }

            made.Clear();
        }
    }

    // Gate held. One X509Certificate2 per proven identity, made when first asked for.
    private X509Certificate2? CurrentPeerCertificate()
    {
        var peer = connection.PeerIdentity;
        if (peer is null || peer.LeafCertificateDer.IsEmpty || disposed)
        {
            return null;
        }

        if (!ReferenceEquals(peer, certificateOf))
        {
            certificate = X509CertificateLoader.LoadCertificate(peer.LeafCertificateDer.ToArray());
            made.Add(certificate);
            certificateOf = peer;
        }

        return certificate;
    }
}
