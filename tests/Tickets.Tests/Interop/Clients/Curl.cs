using System.Globalization;

namespace Tickets.Tests.Interop.Clients;

/// <summary>curl, exactly as a user would fetch the --www page (plus a deadline and headers in the output).</summary>
public static class Curl
{
    public static async Task<ProcessResult> FetchAsync(int port, params string[] extraArguments)
    {
        var result = await ExternalProgram.RunAsync(
            "curl",
            ["-k", "-sS", "-i", "--max-time", "15", .. extraArguments, $"https://localhost:{port.ToString(CultureInfo.InvariantCulture)}/"],
            timeout: TimeSpan.FromSeconds(20));
        Assert.True(result.ExitCode == 0, result.Describe());
        return result;
    }
}
