using System.Globalization;
using Tickets.Tests.Interop.Clients;

namespace Tickets.Tests.Interop;

/// <summary>
/// `tickets serve --cert --key` with each kind of key openssl makes (ECDSA P-256/P-384/P-521, RSA, RSASSA-PSS,
/// Ed25519, Ed448), checked by real clients that verify the chain: s_client with each scheme alone in -sigalgs,
/// gnutls-cli with the matching SIGN- priority, Node with sigalgs. A scheme the key cannot make is refused.
/// </summary>
[Trait("Category", TestCategory.Interop)]
public sealed class KeyTypeInteropTests
{
    /// <summary>Kind, what the start line calls the key, the key's schemes (OpenSSL names), gnutls's name of the first.</summary>
    public static TheoryData<string, string, string[], string> Kinds => new()
    {
        { "p256", "ECDSA P-256", ["ecdsa_secp256r1_sha256"], "ECDSA-SECP256R1-SHA256" },
        { "p384", "ECDSA P-384", ["ecdsa_secp384r1_sha384"], "ECDSA-SECP384R1-SHA384" },
        { "p521", "ECDSA P-521", ["ecdsa_secp521r1_sha512"], "ECDSA-SECP521R1-SHA512" },
        { "rsa", "RSA 2048", ["rsa_pss_rsae_sha256", "rsa_pss_rsae_sha384", "rsa_pss_rsae_sha512"], "RSA-PSS-RSAE-SHA256" },
        { "rsa-pss", "RSASSA-PSS 2048", ["rsa_pss_pss_sha256", "rsa_pss_pss_sha384", "rsa_pss_pss_sha512"], "RSA-PSS-SHA256" },
        { "ed25519", "Ed25519", ["ed25519"], "EdDSA-Ed25519" },
        { "ed448", "Ed448", ["ed448"], "EdDSA-Ed448" },
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Each_key_kind_signs_every_scheme_it_has_for_real_clients(string kind, string description, string[] schemes, string gnutlsSign)
    {
        var files = await KeyTypeFiles.InstanceAsync();
        var (chain, key) = await files.LeafAsync(kind);
        await using var server = await TicketsServer.StartAsync(["--port", "0", "--cert", chain, "--key", key]);
        Assert.Contains(server.Process.OutputLines, line => line.EndsWith($"certificate key {description}", StringComparison.Ordinal));

        foreach (var scheme in schemes)
        {
            var run = await SClientAsync(server.Port, files.CaPem, scheme);
            Assert.True(run.ExitCode == 0, $"{scheme}:\n{run.Describe()}");
            Assert.Contains("Verification: OK", run.StandardOutput, StringComparison.Ordinal);
            Assert.False((await server.NextConnectionAsync()).Resumed);
        }

        // A scheme of another kind of key: nothing this key can sign, so the handshake fails (handshake_failure).
        var foreign = kind.StartsWith("ed", StringComparison.Ordinal) ? "ecdsa_secp256r1_sha256" : "ed25519";
        var refused = await SClientAsync(server.Port, files.CaPem, foreign);
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("handshake failure", refused.StandardOutput + refused.StandardError, StringComparison.Ordinal);

        var gnutls = await ExternalProgram.RunAsync(
            "gnutls-cli",
            ["--x509cafile", files.CaPem, "-p", server.Port.ToString(CultureInfo.InvariantCulture),
                "--priority", $"NORMAL:-VERS-ALL:+VERS-TLS1.3:-SIGN-ALL:+SIGN-{gnutlsSign}", "localhost"],
            "ping\n",
            TimeSpan.FromSeconds(20),
            workingDirectory: null);
        Assert.True(gnutls.ExitCode == 0, gnutls.Describe());
        Assert.Contains("Handshake was completed", gnutls.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"-({gnutlsSign})-", gnutls.StandardOutput, StringComparison.OrdinalIgnoreCase);

        var node = await NodeHandshake.ConnectAsync(server.Port, sigalgs: schemes[^1], caFile: files.CaPem);
        Assert.True(node.Authorized);
    }

    private static Task<ProcessResult> SClientAsync(int port, string caFile, string sigalgs) =>
        ExternalProgram.RunAsync(
            "openssl",
            ["s_client", "-connect", $"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}", "-servername", "localhost", "-tls1_3",
                "-sigalgs", sigalgs, "-CAfile", caFile, "-verify_return_error"],
            "ping\n",
            TimeSpan.FromSeconds(20));
}
