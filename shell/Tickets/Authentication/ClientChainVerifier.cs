using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Tickets.Core.Protocol;

namespace Tickets.Authentication;

/// <summary>
/// Checks a client's certificate chain against the configured trust anchors only (the system store plays no part, as
/// with s_server -CAfile), at the current time, for client authentication. Offline: a certificate may name URLs
/// (Authority Information Access caIssuers, CRL distribution points, OCSP), and a client chooses them, so following them
/// would let any client make the server send requests where it likes and wait for the answers. Missing intermediates
/// are never downloaded; revocation is not checked unless the server's operator asks for it
/// (<see cref="TicketServerContext.ClientCertificateRevocationMode"/>).
/// </summary>
internal static class ClientChainVerifier
{
    /// <summary>id-kp-clientAuth: a leaf restricted to other uses must not log in as a client.</summary>
    private const string ClientAuthenticationUsage = "1.3.6.1.5.5.7.3.2";

    public static ChainVerdict Verify(
        X509Certificate2 leaf,
        IReadOnlyList<X509Certificate2> intermediates,
        IReadOnlyList<X509Certificate2> trustAnchors,
        X509RevocationMode revocation,
        DateTime now)
    {
        if (trustAnchors.Count == 0)
        {
            return new ChainVerdict(false, "no trusted CA configured (--ca)", AlertDescription.UnknownCa);
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        // AIA: .NET would fetch a missing issuer from the URL in the certificate (on Linux with a 15 s timeout), before
        // the client has even proved it holds the key. The chain the client sent is all it gets.
        chain.ChainPolicy.DisableCertificateDownloads = true;
        chain.ChainPolicy.RevocationMode = revocation;
        chain.ChainPolicy.VerificationTime = now;
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid(ClientAuthenticationUsage));
        foreach (var anchor in trustAnchors)
        {
            chain.ChainPolicy.CustomTrustStore.Add(anchor);
        }

        foreach (var intermediate in intermediates)
        {
            chain.ChainPolicy.ExtraStore.Add(intermediate);
        }

        bool built;
        try
        {
            built = chain.Build(leaf);
        }
        catch (CryptographicException error)
        {
            return new ChainVerdict(false, $"chain cannot be built: {error.Message}", AlertDescription.BadCertificate);
        }

        if (built)
        {
            return new ChainVerdict(true, "ok", AlertDescription.CloseNotify);
        }

        var problems = chain.ChainStatus.Select(status => status.Status).Where(status => status != X509ChainStatusFlags.NoError).ToArray();
        var result = string.Join("; ", chain.ChainStatus
            .Where(status => status.Status != X509ChainStatusFlags.NoError)
            .Select(status => $"{status.Status}: {status.StatusInformation.Trim()}")
            .Distinct());
        return new ChainVerdict(false, result.Length == 0 ? "chain does not verify" : result, AlertFor(problems));
    }

    /// <summary>The RFC 8446 §6.2 alert closest to the chain's first problem.</summary>
    private static AlertDescription AlertFor(IReadOnlyList<X509ChainStatusFlags> problems)
    {
        bool Has(X509ChainStatusFlags flag) => problems.Any(problem => (problem & flag) != 0);

        if (Has(X509ChainStatusFlags.UntrustedRoot | X509ChainStatusFlags.PartialChain))
        {
            return AlertDescription.UnknownCa;
        }

        if (Has(X509ChainStatusFlags.NotTimeValid))
        {
            return AlertDescription.CertificateExpired;
        }

        if (Has(X509ChainStatusFlags.Revoked))
        {
            return AlertDescription.CertificateRevoked;
        }

        if (Has(X509ChainStatusFlags.NotValidForUsage))
        {
            return AlertDescription.UnsupportedCertificate;
        }

        return AlertDescription.BadCertificate;
    }
}
