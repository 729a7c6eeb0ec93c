using Tickets.Core.Policy;

namespace Tickets;

/// <summary>External PSKs (RFC 8446 §4.2.11) and the PSK key exchange modes the server allows.</summary>
public sealed partial class TicketServerContext
{
    private volatile ExternalPskFinder? findExternalPsk;
    private volatile bool allowPskWithoutKeyExchange;
    private ExternalPsk[] ownExternalPsks = [];

    /// <summary>
    /// ≈ SSL_CTX_set_psk_find_session_callback: finds the external PSK an offered identity names; null (the default):
    /// the server knows no external PSK. A client proving it holds one gets a PSK handshake without certificates, which
    /// counts as a resumption for tickets (one ticket at most, as OpenSSL issues), and its connection's
    /// <see cref="TicketServerConnection.PeerIdentity"/> is <see cref="Core.Model.PeerIdentity.OfExternalPsk"/>. An
    /// exception from the finder ends that handshake with internal_error. Applies to handshakes starting afterwards.
    /// </summary>
    public ExternalPskFinder? FindExternalPsk
    {
        get => findExternalPsk;
        set => findExternalPsk = value;
    }

    /// <summary>
    /// ≈ <c>openssl s_server -psk HEX -psk_identity ID</c>: serves exactly these external PSKs, by a table lookup that
    /// replaces <see cref="FindExternalPsk"/>. The context keeps copies (the caller may dispose its instances) and
    /// wipes them when it is disposed or given another set. Two PSKs with one identity throw <see cref="ArgumentException"/>
    /// and change nothing; an empty set serves none.
    /// </summary>
    public void UseExternalPsks(IEnumerable<ExternalPsk> psks)
    {
        ArgumentNullException.ThrowIfNull(psks);
        var copies = new List<ExternalPsk>();
        try
        {
            foreach (var psk in psks)
            {
                ArgumentNullException.ThrowIfNull(psk, nameof(psks));
                var key = psk.CopyKey() ?? throw new ObjectDisposedException(nameof(ExternalPsk), "A disposed PSK has no key.");
                try
                {
                    copies.Add(new ExternalPsk(psk.Identity.Span, key, psk.Hash));
                }
                finally
                {
                    System.Security.Cryptography.CryptographicOperations.ZeroMemory(key);
                }
            }

            var table = new Dictionary<string, ExternalPsk>(StringComparer.Ordinal);
            foreach (var copy in copies)
            {
                if (!table.TryAdd(Convert.ToHexString(copy.Identity.Span), copy))
                {
                    throw new ArgumentException("Two PSKs have the same identity.", nameof(psks));
                }
            }

            ExternalPsk[] previous;
            lock (gate)
            {
                previous = ownExternalPsks;
                ownExternalPsks = [.. copies];
                findExternalPsk = table.Count == 0 ? null : identity => table.GetValueOrDefault(Convert.ToHexString(identity.Span));
            }

            // A handshake that found one of these a moment ago sees it disposed and treats the identity as unknown.
            foreach (var old in previous)
            {
                old.Dispose();
            }
        }
        catch
        {
            foreach (var copy in copies)
            {
                copy.Dispose();
            }

            throw;
        }
    }

    /// <summary>
    /// ≈ SSL_OP_ALLOW_NO_DHE_KEX: a client offering only psk_ke may use a PSK (ticket or external) without an (EC)DHE
    /// exchange, hence without forward secrecy, and may then send no key_share at all. Off by default: only psk_dhe_ke.
    /// A client offering both modes gets psk_dhe_ke whenever it sent a key_share, as from OpenSSL 3.0.
    /// </summary>
    public bool AllowPskWithoutKeyExchange
    {
        get => allowPskWithoutKeyExchange;
        set => allowPskWithoutKeyExchange = value;
    }

    /// <summary>Wipes the copies <see cref="UseExternalPsks"/> keeps.</summary>
    private void DisposeExternalPsks()
    {
        ExternalPsk[] own;
        lock (gate)
        {
            own = ownExternalPsks;
            ownExternalPsks = [];
            findExternalPsk = null;
        }

        foreach (var psk in own)
        {
            psk.Dispose();
        }
    }
}
