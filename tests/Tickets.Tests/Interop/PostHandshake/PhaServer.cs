using System.Globalization;
using System.Text.RegularExpressions;

namespace Tickets.Tests.Interop.PostHandshake;

/// <summary>
/// `tickets serve` for the client-authentication tests: trusting the test client CA, echo mode unless told otherwise,
/// standard input open for s_server-style commands, and the log lines those commands acknowledge with.
/// </summary>
public static partial class PhaServer
{
    public static ClientCertificateFiles Files => ClientCertificateFiles.Instance;

    /// <summary>The client identity signed by the trusted CA.</summary>
    public static InteractiveClient.Identity TrustedClient => new(Files.ClientPem, Files.ClientKeyPem);

    /// <summary>A self-signed client identity no configured CA vouches for.</summary>
    public static InteractiveClient.Identity RogueClient => new(Files.RoguePem, Files.RogueKeyPem);

    public static Task<TicketsServer> StartAsync(params string[] options) =>
        TicketsServer.StartAsync(["--port", "0", "--ca", Files.CaPem, .. options]);

    public static string[] Count(int? count) =>
        count is { } value ? ["--num-tickets", value.ToString(CultureInfo.InvariantCulture)] : [];

    /// <summary>One completed post-handshake authentication as the server logged it.</summary>
    public sealed record Authentication(string Line, bool Declined, string? Subject, bool Verified, int Tickets);

    /// <summary>Types `c` and waits for the line reporting the client's completed answer on connection <paramref name="id"/>.</summary>
    public static async Task<Authentication> RequestCertificateAsync(TicketsServer server, long id)
    {
        await server.Process.SendLineAsync("c");
        var line = await server.NextLineAsync(candidate =>
            candidate.StartsWith($"tickets: c: conn {id} client-auth ", StringComparison.Ordinal)
            || candidate.StartsWith($"tickets: c: error: conn {id}:", StringComparison.Ordinal));
        var match = AuthenticatedLine().Match(line);
        Assert.True(match.Success, $"authentication failed: {line}\n{server.Process.DescribeOutput()}");
        var declined = match.Groups["declined"].Success;
        return new Authentication(
            line,
            declined,
            declined ? null : match.Groups["subject"].Value,
            match.Groups["verified"].Value == "yes",
            int.Parse(match.Groups["tickets"].Value, CultureInfo.InvariantCulture));
    }

    /// <summary>Types a command and returns its acknowledgement line ("tickets: CMD: ...").</summary>
    public static async Task<string> CommandAsync(TicketsServer server, string command)
    {
        await server.Process.SendLineAsync(command);
        return await server.NextLineAsync(line => line.StartsWith($"tickets: {command}: ", StringComparison.Ordinal));
    }

    [GeneratedRegex(@"client-auth (?:(?<declined>declined \(empty Certificate\))|subject=""(?<subject>[^""]*)"" verified=(?<verified>yes|no) result=""[^""]*"") tickets=(?<tickets>\d+)$")]
    private static partial Regex AuthenticatedLine();
}
