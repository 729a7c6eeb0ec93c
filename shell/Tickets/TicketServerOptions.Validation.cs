using Tickets.Core.Negotiation;
using Tickets.Core.Protocol;
using Tickets.Crypto;

namespace Tickets;

/// <summary>The one check of a whole options object, each failure naming the property at fault.</summary>
public sealed partial class TicketServerOptions
{
    /// <summary>
    /// Checks every setting and how they combine, and throws on the first problem: <see cref="InvalidOperationException"/>
    /// when settings contradict each other or one is missing, <see cref="ArgumentException"/> (or
    /// <see cref="ArgumentOutOfRangeException"/>) when one value is unusable. The server and the context call it; call it
    /// yourself to fail earlier.
    /// </summary>
    public void Validate()
    {
        var certificateSources = (ServerCertificate is null ? 0 : 1) + (ServerCertificateContext is null ? 0 : 1)
            + (ServerCertificateSelectionCallback is null ? 0 : 1);
        if (certificateSources == 0)
        {
            throw new InvalidOperationException(
                "TicketServerOptions needs a certificate: set ServerCertificate, ServerCertificateContext or ServerCertificateSelectionCallback.");
        }

        if (certificateSources > 1)
        {
            throw new InvalidOperationException(
                "TicketServerOptions: set only one of ServerCertificate, ServerCertificateContext and ServerCertificateSelectionCallback.");
        }

        if (ServerCertificate is { HasPrivateKey: false })
        {
            throw new ArgumentException(
                "TicketServerOptions.ServerCertificate has no private key; give it one, or use ServerCertificateContext with a PKCS#8 key.",
                nameof(ServerCertificate));
        }

        Range(NumTickets >= 0, nameof(NumTickets), NumTickets, "must be 0 or more");
        Range(MaxTicketRequest >= 0, nameof(MaxTicketRequest), MaxTicketRequest, "must be 0 or more");
        Range(SessionTimeout >= TimeSpan.Zero && SessionTimeout.TotalSeconds <= uint.MaxValue, nameof(SessionTimeout), SessionTimeout,
            "must be between zero and uint.MaxValue seconds");
        Range(Enum.IsDefined(TicketMode), nameof(TicketMode), TicketMode, "is not a ticket mode");
        Range(Enum.IsDefined(ClientCertificateMode), nameof(ClientCertificateMode), ClientCertificateMode, "is not a client certificate mode");
        Range(Enum.IsDefined(CertificateRevocationCheckMode), nameof(CertificateRevocationCheckMode), CertificateRevocationCheckMode,
            "is not a revocation mode");
        Range(TicketServerContext.IsTimeout(HandshakeTimeout), nameof(HandshakeTimeout), HandshakeTimeout,
            "must be positive or Timeout.InfiniteTimeSpan");
        Range(WriteTimeout > TimeSpan.Zero && WriteTimeout <= TimeSpan.FromDays(1), nameof(WriteTimeout), WriteTimeout,
            "must be positive and at most a day");
        Range(TicketServerContext.IsTimeout(ShutdownTimeout) || ShutdownTimeout == TimeSpan.Zero, nameof(ShutdownTimeout), ShutdownTimeout,
            "must be zero, positive or Timeout.InfiniteTimeSpan");
        Range(MaxHandshakeMessageLength is >= TicketServerContext.MinHandshakeMessageLength and <= 0xFFFFFF, nameof(MaxHandshakeMessageLength),
            MaxHandshakeMessageLength, $"must be between {TicketServerContext.MinHandshakeMessageLength} and 16777215 bytes");
        Range(EarlyDataSkipLimit >= 0, nameof(EarlyDataSkipLimit), EarlyDataSkipLimit, "must be 0 or more");
        Range(MaxConnections > 0, nameof(MaxConnections), MaxConnections, "must be at least 1");
        ValidateGroups();
        ValidateApplicationProtocols();

        if (ClientCertificateAuthorities?.Any(anchor => anchor is null) == true)
        {
            throw new ArgumentException("TicketServerOptions.ClientCertificateAuthorities holds a null certificate.", nameof(ClientCertificateAuthorities));
        }

        if (ExternalPsks is not null && FindExternalPsk is not null)
        {
            throw new InvalidOperationException("TicketServerOptions: set ExternalPsks or FindExternalPsk, not both.");
        }

        if (ExternalPsks is { } psks)
        {
            var identities = new HashSet<string>(StringComparer.Ordinal);
            foreach (var psk in psks)
            {
                if (psk is null || !identities.Add(Convert.ToHexString(psk.Identity.Span)))
                {
                    throw new ArgumentException(
                        psk is null ? "TicketServerOptions.ExternalPsks holds a null PSK." : "TicketServerOptions.ExternalPsks has two PSKs with one identity.",
                        nameof(ExternalPsks));
                }
            }
        }
    }

    private void ValidateGroups()
    {
        if (Groups is not { } groups)
        {
            return;
        }

        if (groups.Count == 0)
        {
            throw new ArgumentException("TicketServerOptions.Groups is empty: at least one key exchange group is needed.", nameof(Groups));
        }

        foreach (var group in groups)
        {
            if (!KeyExchange.IsSupported(group))
            {
                throw new ArgumentException($"TicketServerOptions.Groups: group {GroupNames.Name(group)} is not supported.", nameof(Groups));
            }
        }

        if (groups.Distinct().Count() != groups.Count)
        {
            throw new ArgumentException("TicketServerOptions.Groups names a group twice.", nameof(Groups));
        }
    }

    private void ValidateApplicationProtocols()
    {
        foreach (var protocol in ApplicationProtocols ?? [])
        {
            // RFC 7301 §3.1: each name is 1 to 255 bytes.
            if (protocol.Protocol.Length is 0 or > 255)
            {
                throw new ArgumentException("TicketServerOptions.ApplicationProtocols: each protocol name is 1 to 255 bytes.", nameof(ApplicationProtocols));
            }
        }
    }

    private static void Range<T>(bool valid, string name, T value, string rule)
    {
        if (!valid)
        {
            throw new ArgumentOutOfRangeException(name, value, $"TicketServerOptions.{name} {rule}.");
        }
    }
}
