using System.Globalization;
using System.Security.Cryptography;
using Tickets.Tests.Interop;
using Tickets.Tests.Interop.Clients;

namespace Tickets.Tests.Packaging;

/// <summary>
/// The tool as a user installs it: `dotnet tool install --tool-path DIR Tickets.Cli --add-source FOLDER --version V`
/// from the packed folder alone (no other package source, an empty NuGet cache), then the installed `tickets` run:
/// --help, --version, and `tickets serve` giving openssl s_client 3 tickets, then 1 on resumption.
/// </summary>
[Trait("Category", TestCategory.Packaging)]
[Collection(PackagingCollection.Name)]
public sealed class ToolInstallTests(PackedPackages packed)
{
    [Fact]
    public async Task The_tool_installs_from_the_folder_and_tickets_serves_tls13_with_its_tickets()
    {
        var home = InteropPaths.NewDirectory("tool-install");
        var toolPath = Path.Combine(home, "tools");
        var environment = ToolEnvironment(home);

        // Only the packed folder as a source: the install proves the package is complete by itself.
        File.WriteAllText(Path.Combine(home, "nuget.config"),
            "<configuration><packageSources><clear /></packageSources></configuration>");
        var install = await ExternalProgram.RunAsync(
            InteropPaths.DotnetHost,
            ["tool", "install", "--tool-path", toolPath, "Tickets.Cli", "--add-source", packed.Folder, "--version", RepositoryLayout.Version],
            timeout: TimeSpan.FromMinutes(2), environment: environment, workingDirectory: home);
        Assert.True(install.ExitCode == 0, install.Describe());

        var tickets = Path.Combine(toolPath, "tickets");
        Assert.True(File.Exists(tickets), $"no {tickets}\n{install.Describe()}");
        AssertInstalledFromThisBuild(toolPath);

        var help = await ExternalProgram.RunAsync(tickets, ["--help"], environment: environment, workingDirectory: home);
        Assert.True(help.ExitCode == 0, help.Describe());
        Assert.Equal(Tickets.Cli.Usage.Text.ReplaceLineEndings("\n"), help.StandardOutput.ReplaceLineEndings("\n").TrimEnd('\n'));

        var version = await ExternalProgram.RunAsync(tickets, ["--version"], environment: environment, workingDirectory: home);
        Assert.True(version.ExitCode == 0, version.Describe());
        Assert.Equal($"tickets {RepositoryLayout.Version}", version.StandardOutput.Trim());

        await using var server = ServerProcess.Start(tickets, ["serve", "--port", "0", "--num-tickets", "3", "--www"], environment);
        const string Listening = "tickets: listening on ";
        var (line, _) = await server.WaitForLineAsync(l => l.StartsWith(Listening, StringComparison.Ordinal), TlsServer.StartTimeout);
        var port = int.Parse(line[(line.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture);

        var runs = await OpenSslClient.ChainAsync(port, connections: 2);
        Assert.Equal(new ClientConnection(3, false), runs[0].Connection);
        Assert.Equal(new ClientConnection(1, true), runs[1].Connection);
    }

    /// <summary>
    /// The installed Tickets.Cli.dll is byte for byte the one this suite tests (the build is deterministic), so the
    /// install did not pick up an older package of the same version from some cache.
    /// </summary>
    private static void AssertInstalledFromThisBuild(string toolPath)
    {
        var installed = Directory.GetFiles(Path.Combine(toolPath, ".store"), "Tickets.Cli.dll", SearchOption.AllDirectories);
        var dll = Assert.Single(installed);
        Assert.Equal(SHA256.HashData(File.ReadAllBytes(InteropPaths.CliAssembly)), SHA256.HashData(File.ReadAllBytes(dll)));
    }

    /// <summary>
    /// A private NuGet cache (so no package of the same version from an earlier run is reused), the same .NET the
    /// tests run on for the tool's app host, and a scratch data folder for the server's default certificate.
    /// </summary>
    private static Dictionary<string, string> ToolEnvironment(string home)
    {
        var runtime = Path.GetDirectoryName(typeof(object).Assembly.Location)!;   // DOTNET_ROOT/shared/Microsoft.NETCore.App/V
        return new Dictionary<string, string>
        {
            ["NUGET_PACKAGES"] = Path.Combine(home, "nuget-packages"),
            ["DOTNET_ROOT"] = Path.GetFullPath(Path.Combine(runtime, "..", "..", "..")),
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_NOLOGO"] = "1",
            ["XDG_DATA_HOME"] = home,
        };
    }
}
