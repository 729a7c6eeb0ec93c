using System.Collections.Concurrent;
using System.Globalization;

namespace Tickets.Tests.Interop;

/// <summary>
/// Certificates of every key kind, made by openssl itself so the files are exactly what an operator has: a CA
/// (ECDSA P-256) and, per kind, a leaf for localhost and 127.0.0.1 it issued (server and client use), with the key
/// as `openssl genpkey` writes it (PKCS#8; RSASSA-PSS keys under their own OID). Made once per kind per run.
/// </summary>
public sealed class KeyTypeFiles
{
    /// <summary>Kind name, then the genpkey options that make such a key.</summary>
    private static readonly Dictionary<string, string[]> GenpkeyOptions = new()
    {
        ["p256"] = ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"],
        ["p384"] = ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384"],
        ["p521"] = ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-521"],
        ["rsa"] = ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"],
        ["rsa-pss"] = ["-algorithm", "RSA-PSS", "-pkeyopt", "rsa_keygen_bits:2048"],
        ["ed25519"] = ["-algorithm", "ED25519"],
        ["ed448"] = ["-algorithm", "ED448"],
    };

    private static readonly Lazy<Task<KeyTypeFiles>> Shared = new(CreateAsync);

    private readonly ConcurrentDictionary<string, Lazy<Task<(string Chain, string Key)>>> leaves = new();
    private readonly string directory;
    private int serial;

    private KeyTypeFiles(string directory)
    {
        this.directory = directory;
        CaPem = Path.Combine(directory, "ca.pem");
        CaKey = Path.Combine(directory, "ca-key.pem");
    }

    /// <summary>Every kind there is a leaf for.</summary>
    public static IReadOnlyCollection<string> Kinds => GenpkeyOptions.Keys;

    public static Task<KeyTypeFiles> InstanceAsync() => Shared.Value;

    /// <summary>The CA every leaf chains to: --ca for client certificates, -CAfile for clients checking the server.</summary>
    public string CaPem { get; }

    private string CaKey { get; }

    /// <summary>The leaf of <paramref name="kind"/> followed by the CA (Chain), and its private key (Key).</summary>
    public Task<(string Chain, string Key)> LeafAsync(string kind) =>
        leaves.GetOrAdd(kind, name => new Lazy<Task<(string, string)>>(() => CreateLeafAsync(name))).Value;

    private static async Task<KeyTypeFiles> CreateAsync()
    {
        var files = new KeyTypeFiles(InteropPaths.NewDirectory("key-types"));
        await OpenSslAsync("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", files.CaKey,
            "-out", files.CaPem, "-subj", "/CN=tickets key types CA", "-days", "2",
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign");
        return files;
    }

    private async Task<(string Chain, string Key)> CreateLeafAsync(string kind)
    {
        var key = Path.Combine(directory, $"{kind}-key.pem");
        var leaf = Path.Combine(directory, $"{kind}.pem");
        await OpenSslAsync(["genpkey", .. GenpkeyOptions[kind], "-out", key]);
        await OpenSslAsync("req", "-new", "-x509", "-key", key, "-CA", CaPem, "-CAkey", CaKey, "-subj", $"/CN=localhost {kind}",
            "-days", "1", "-set_serial", Interlocked.Increment(ref serial).ToString(CultureInfo.InvariantCulture), "-out", leaf,
            "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-addext", "basicConstraints=critical,CA:FALSE",
            "-addext", "keyUsage=critical,digitalSignature", "-addext", "extendedKeyUsage=serverAuth,clientAuth");
        var chain = Path.Combine(directory, $"{kind}-chain.pem");
        await File.WriteAllTextAsync(chain, await File.ReadAllTextAsync(leaf) + await File.ReadAllTextAsync(CaPem));
        return (chain, key);
    }

    private static async Task OpenSslAsync(params string[] arguments)
    {
        var result = await ExternalProgram.RunAsync("openssl", arguments, timeout: TimeSpan.FromSeconds(60));
        Assert.True(result.ExitCode == 0, result.Describe());
    }
}
