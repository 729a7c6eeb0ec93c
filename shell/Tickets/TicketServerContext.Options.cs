using System.Text;

namespace Tickets;

/// <summary>Building the context from a <see cref="TicketServerOptions"/>, each option landing on its OpenSSL-style setting.</summary>
public sealed partial class TicketServerContext
{
    /// <summary>
    /// A context configured by <paramref name="options"/>, validated first (<see cref="TicketServerOptions.Validate"/>):
    /// each option sets the context property of the same meaning (docs/library.md has the table). A certificate given as
    /// <see cref="TicketServerOptions.ServerCertificate"/> is prepared here and disposed with the context; a ticket store
    /// given in the options belongs to the context from now on.
    /// </summary>
    /// <exception cref="ArgumentException">An option has an unusable value.</exception>
    /// <exception cref="InvalidOperationException">Options contradict each other, or no certificate is set.</exception>
    public TicketServerContext(TicketServerOptions options)
        : this(Validated(options), EntropySource.System)
    {
    }

    /// <summary>As the public constructor, with the entropy source tests fix.</summary>
    internal TicketServerContext(TicketServerOptions options, EntropySource entropy)
        : this(
            options.ServerCertificate is { } certificate ? ServerCertificateContext.Create(certificate) : options.ServerCertificateContext,
            ownsCertificate: options.ServerCertificate is not null,
            options.TimeProvider ?? TimeProvider.System,
            entropy)
    {
        try
        {
            Apply(options);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    private static TicketServerOptions Validated(TicketServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return options;
    }

    private void Apply(TicketServerOptions options)
    {
        ServerCertificateSelectionCallback = options.ServerCertificateSelectionCallback;
        SetNumTickets(options.NumTickets);
        SessionTimeoutSeconds = (uint)options.SessionTimeout.TotalSeconds;
        MaxTicketRequest = options.MaxTicketRequest;
        TicketMode = options.TicketMode;
        SingleUseTickets = options.SingleUseTickets;
        ResumeAcrossServerNames = options.ResumeAcrossServerNames;
        if (options.ApplicationProtocols is { } protocols)
        {
            // ALPN names are byte strings; Latin-1 maps each byte to one character and back, as the codec does.
            ApplicationProtocols = protocols.Select(protocol => Encoding.Latin1.GetString(protocol.Protocol.Span)).ToArray();
        }

        if (options.Groups is { } groups)
        {
            Groups = groups.ToArray();
        }

        ClientCertificateMode = options.ClientCertificateMode;
        if (options.ClientCertificateAuthorities is { } authorities)
        {
            ClientCertificateAuthorities = authorities.ToArray();
        }

        ClientCertificateRevocationMode = options.CertificateRevocationCheckMode;
        if (options.ExternalPsks is { } psks)
        {
            UseExternalPsks(psks);
        }

        FindExternalPsk ??= options.FindExternalPsk;
        AllowPskWithoutKeyExchange = options.AllowPskWithoutKeyExchange;
        HandshakeTimeout = options.HandshakeTimeout;
        WriteTimeout = options.WriteTimeout;
        MaxHandshakeMessageLength = options.MaxHandshakeMessageLength;
        EarlyDataSkipLimit = options.EarlyDataSkipLimit;
        MaxConnections = options.MaxConnections;
        ShutdownTimeout = options.ShutdownTimeout;
        OnConnectionAccepted = options.OnConnectionAccepted;
        LoggerFactory = options.LoggerFactory;
        MeterFactory = options.MeterFactory;
        KeyLogWriter = options.KeyLogWriter;
        if (options.TicketStore is { } store)
        {
            UseTicketStore(store);
        }
    }
}
