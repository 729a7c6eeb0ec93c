using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Tickets.Tests.Interop.PostHandshake;

/// <summary>
/// PEM files for client authentication, made once per test run: a client CA (given to the server with --ca), a client
/// certificate it issued, and a self-signed "rogue" client certificate no configured CA vouches for.
/// </summary>
public sealed class ClientCertificateFiles
{
    public const string ClientSubject = "CN=tickets pha client";
    public const string RogueSubject = "CN=tickets rogue client";

    private static readonly Lazy<ClientCertificateFiles> Shared = new(Create);

    private ClientCertificateFiles(string directory)
    {
        CaPem = Path.Combine(directory, "client-ca.pem");
        ClientPem = Path.Combine(directory, "client.pem");
        ClientKeyPem = Path.Combine(directory, "client-key.pem");
        RoguePem = Path.Combine(directory, "rogue.pem");
        RogueKeyPem = Path.Combine(directory, "rogue-key.pem");
    }

    public static ClientCertificateFiles Instance => Shared.Value;

    public string CaPem { get; }

    public string ClientPem { get; }

    public string ClientKeyPem { get; }

    public string RoguePem { get; }

    public string RogueKeyPem { get; }

    private static ClientCertificateFiles Create()
    {
        var files = new ClientCertificateFiles(InteropPaths.NewDirectory("client-certificates"));
        var now = DateTimeOffset.UtcNow;

        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=tickets client CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        using var ca = caRequest.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(2));

        using var clientKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var client = ClientRequest(ClientSubject, clientKey).Create(ca, now.AddMinutes(-5), now.AddDays(1), RandomNumberGenerator.GetBytes(12));

        using var rogueKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var rogue = ClientRequest(RogueSubject, rogueKey).CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));

        File.WriteAllText(files.CaPem, ca.ExportCertificatePem() + "\n");
        File.WriteAllText(files.ClientPem, client.ExportCertificatePem() + "\n");
        File.WriteAllText(files.ClientKeyPem, clientKey.ExportPkcs8PrivateKeyPem() + "\n");
        File.WriteAllText(files.RoguePem, rogue.ExportCertificatePem() + "\n");
        File.WriteAllText(files.RogueKeyPem, rogueKey.ExportPkcs8PrivateKeyPem() + "\n");
        return files;
    }

    private static CertificateRequest ClientRequest(string subject, ECDsa key)
    {
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        return request;
    }
}
