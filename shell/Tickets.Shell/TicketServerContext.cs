using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using LanguageExt;
using Tickets.Core.Model;
using Tickets.Core.Protocol;
using Tickets.Shell.Crypto;
using Tickets.Shell.Handshake;
using Tickets.Shell.Transport;

namespace Tickets.Shell;

/// <summary>
/// The server-wide configuration every connection starts from, in the role of OpenSSL's SSL_CTX: the
/// certificate, the ticket settings (held as the core's immutable <see cref="Context"/>), and the key that
/// seals tickets. Settings may change at any time from any thread; a connection copies what it needs
/// when it is created, exactly like SSL_new copies the SSL_CTX's ticket count.
/// </summary>
public sealed class TicketServerContext : IDisposable
{
    private readonly object gate = new();
    private Context settings = Context.Default;
    private TicketSealer ticketSealer;
    private IReadOnlyList<string> applicationProtocols = ["http/1.1"];

    public TicketServerContext(X509Certificate2 certificateWithPrivateKey, IEnumerable<X509Certificate2>? chain = null)
    {
        ArgumentNullException.ThrowIfNull(certificateWithPrivateKey);
        if (!certificateWithPrivateKey.HasPrivateKey)
        {
            throw new ArgumentException("The server certificate needs its private key.", nameof(certificateWithPrivateKey));
        }

        Certificate = certificateWithPrivateKey;
        Chain = chain?.ToArray() ?? [];
        Signer = new CertificateSigner(certificateWithPrivateKey);
        // Every full handshake sends these same bytes: encode them once (RawData even copies on each call).
        EncodedCertificateMessage = CertificateCodec.Encode(new CertificateMessage(
            [], [Certificate.RawData, .. Chain.Select(certificate => certificate.RawData)]));
        ticketSealer = new TicketSealer(TicketKey.Generate());
    }

    /// <summary>The leaf certificate, sent in every full handshake.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>Intermediate certificates sent after the leaf, in order.</summary>
    public IReadOnlyList<X509Certificate2> Chain { get; }

    /// <summary>The current core settings; a snapshot, replaced as a whole when something changes.</summary>
    public Context Settings
    {
        get
        {
            lock (gate)
            {
                return settings;
            }
        }
    }

    /// <summary>≈ SSL_CTX_get_num_tickets.</summary>
    public int GetNumTickets() => Settings.GetNumTickets();

    /// <summary>
    /// ≈ SSL_CTX_set_num_tickets: applies to connections created afterwards. A negative count fails and
    /// changes nothing.
    /// </summary>
    public Fin<Unit> SetNumTickets(int count)
    {
        lock (gate)
        {
            return settings.SetNumTickets(count).Map(next =>
            {
                settings = next;
                return Unit.Default;
            });
        }
    }

    /// <summary>≈ SSL_CTX_set_timeout: tickets live min(this, 7 days).</summary>
    public uint SessionTimeoutSeconds
    {
        get => Settings.SessionTimeoutSeconds;
        set
        {
            lock (gate)
            {
                settings = settings.WithSessionTimeout(value);
            }
        }
    }

    /// <summary>
    /// ALPN protocols we speak, in our preference order; the first one the client also offers is chosen.
    /// Empty means we ignore ALPN.
    /// </summary>
    public IReadOnlyList<string> ApplicationProtocols
    {
        get
        {
            lock (gate)
            {
                return applicationProtocols;
            }
        }

        set
        {
            ArgumentNullException.ThrowIfNull(value);
            lock (gate)
            {
                applicationProtocols = value.ToArray();
            }
        }
    }

    /// <summary>
    /// When set, the connection secrets are written here in the NSS key log format (for Wireshark).
    /// Only for debugging: anyone with these lines can decrypt the traffic.
    /// </summary>
    public TextWriter? KeyLogWriter { get; set; }

    /// <summary>Our Certificate message (§4.4.2): the chain, leaf first, with an empty request context.</summary>
    internal byte[] EncodedCertificateMessage { get; }

    /// <summary>Signs CertificateVerify with the certificate's private key.</summary>
    internal CertificateSigner Signer { get; }

    /// <summary>
    /// Seals and opens tickets. One random key per context, so tickets from another context (or an
    /// earlier run) are simply not recognised. Replaceable, for key rotation.
    /// </summary>
    internal TicketSealer TicketSealer
    {
        get
        {
            lock (gate)
            {
                return ticketSealer;
            }
        }

        set
        {
            ArgumentNullException.ThrowIfNull(value);
            lock (gate)
            {
                ticketSealer = value;
            }
        }
    }

    /// <summary>Randomness for ServerHello and key shares; replaced only by tests replaying fixed traces.</summary>
    internal HandshakeEntropy Entropy { get; set; } = HandshakeEntropy.System;

    /// <summary>≈ SSL_new + SSL_set_fd: a server connection over an accepted socket, which it now owns.</summary>
    public TicketServerConnection CreateConnection(Socket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        return new TicketServerConnection(this, PipeTransport.Over(socket), Connection.Create(Settings));
    }

    /// <summary>≈ SSL_new + SSL_set_bio: a server connection over any duplex stream, which it now owns.</summary>
    public TicketServerConnection CreateConnection(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return new TicketServerConnection(this, PipeTransport.Over(stream), Connection.Create(Settings));
    }

    public void Dispose()
    {
        Signer.Dispose();
        TicketSealer.Dispose();
    }
}
