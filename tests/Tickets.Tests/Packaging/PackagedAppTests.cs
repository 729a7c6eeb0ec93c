using System.Globalization;
using System.Security.Cryptography;
using Tickets.Tests.Interop;
using Tickets.Tests.Interop.Clients;

namespace Tickets.Tests.Packaging;

/// <summary>
/// An ASP.NET Core app as a user writes it against the packages: a fresh Microsoft.NET.Sdk.Web project outside the
/// repository whose only Tickets reference is &lt;PackageReference Include="Tickets.AspNetCore" Version="V" /&gt;,
/// with samples/MinimalApi/Program.cs (the UseTickets snippet as written) as its Program.cs, restored from the
/// packed folder into an empty NuGet cache, built with `dotnet build -c Release` and run. curl gets a page over
/// HTTP/1.1 and HTTP/2, openssl s_client 3 tickets after a full handshake, then 1 on resumption.
/// </summary>
[Trait("Category", TestCategory.Packaging)]
[Collection(PackagingCollection.Name)]
public sealed class PackagedAppTests(PackedPackages packed)
{
    private const string AppName = "PackagedApp";

    [Fact]
    public async Task An_app_referencing_only_the_Tickets_AspNetCore_package_serves_curl_and_gives_s_client_three_tickets_then_one()
    {
        var home = InteropPaths.NewDirectory("packaged-app");
        var app = Path.Combine(home, "app");
        Directory.CreateDirectory(app);
        var environment = BuildEnvironment(home);
        WriteApp(home, app, RepositoryLayout.Version);

        var build = await ExternalProgram.RunAsync(
            InteropPaths.DotnetHost,
            // No build servers or reused MSBuild nodes: nothing of this build outlives the test.
            ["build", "-c", "Release", "-nologo", "-nodeReuse:false", "-p:UseSharedCompilation=false", "-p:UseRazorBuildServer=false"],
            timeout: TimeSpan.FromMinutes(3), environment: environment, workingDirectory: app);
        Assert.True(build.ExitCode == 0, build.Describe());

        var output = Path.Combine(app, "bin", "Release", "net10.0");
        AssertBuiltFromThisBuildsPackages(output);

        var port = FreePort.Next();
        await using var server = ServerProcess.Start(
            InteropPaths.DotnetHost, [Path.Combine(output, AppName + ".dll"), "--port", port.ToString(CultureInfo.InvariantCulture)],
            environment);
        await server.WaitForLineAsync(line => line.Contains($"Now listening on: https://localhost:{port}", StringComparison.Ordinal), TimeSpan.FromSeconds(30));

        var http1 = (await Curl.FetchAsync(port, "--http1.1")).StandardOutput;
        var http2 = (await Curl.FetchAsync(port, "--http2")).StandardOutput;
        var runs = await OpenSslClient.ChainAsync(port, connections: 2);

        Assert.StartsWith("HTTP/1.1 200", http1, StringComparison.Ordinal);
        Assert.Equal("http/1.1", HttpPage.Field(http1, "ALPN"));
        Assert.StartsWith("HTTP/2 200", http2, StringComparison.Ordinal);
        Assert.Equal("h2", HttpPage.Field(http2, "ALPN"));
        Assert.Equal([new ClientConnection(3, false), new ClientConnection(1, true)], runs.Select(run => run.Connection));
        Assert.Equal([3, 1], runs.Select(run => HttpPage.TicketsIssued(run.Page)));
    }

    /// <summary>
    /// The project a user writes: the Web SDK, and the one package. Program.cs is copied from the sample, so the sample
    /// and what this test proves cannot drift apart. The nuget.config, in the folder above, adds the packed folder to
    /// the machine's sources and maps every Tickets package to it alone, so no package of the same name and version
    /// from elsewhere can stand in.
    /// </summary>
    private void WriteApp(string home, string app, string version)
    {
        File.WriteAllText(Path.Combine(app, AppName + ".csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk.Web">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Tickets.AspNetCore" Version="{version}" />
              </ItemGroup>
            </Project>
            """);
        File.Copy(Path.Combine(RepositoryLayout.Root, "samples", "MinimalApi", "Program.cs"), Path.Combine(app, "Program.cs"));
        // Beside the app folder, not in it (NuGet looks upwards), so the Web SDK does not copy it to the output.
        File.WriteAllText(Path.Combine(home, "nuget.config"), $"""
            <configuration>
              <packageSources>
                <add key="tickets-packed" value="{packed.Folder}" />
              </packageSources>
              <packageSourceMapping>
                <packageSource key="tickets-packed">
                  <package pattern="Tickets" />
                  <package pattern="Tickets.*" />
                </packageSource>
                <packageSource key="nuget.org">
                  <package pattern="*" />
                </packageSource>
              </packageSourceMapping>
            </configuration>
            """);
    }

    /// <summary>
    /// The Tickets assemblies the app was built with are byte for byte the ones this suite tests (the build is
    /// deterministic): they came from the packed folder, not from an older package of the same version in some cache.
    /// </summary>
    private static void AssertBuiltFromThisBuildsPackages(string output)
    {
        foreach (var (project, assembly) in new[]
        {
            ("shell/Tickets.AspNetCore", "Tickets.AspNetCore"), ("shell/Tickets", "Tickets"), ("core/Tickets.Core", "Tickets.Core"),
        })
        {
            var built = InteropPaths.BuildOutput(project, assembly);
            var used = Path.Combine(output, assembly + ".dll");
            Assert.True(File.Exists(used), $"the app's output has no {assembly}.dll");
            Assert.True(
                SHA256.HashData(File.ReadAllBytes(built)).AsSpan().SequenceEqual(SHA256.HashData(File.ReadAllBytes(used))),
                $"{used} is not the {built} under test");
        }
    }

    /// <summary>
    /// A private NuGet cache under the test's folder (so the Tickets packages are restored from the packed folder each
    /// time; third-party packages come from the machine's sources, through NuGet's HTTP cache), and no telemetry.
    /// </summary>
    private static Dictionary<string, string> BuildEnvironment(string home) => new()
    {
        ["NUGET_PACKAGES"] = Path.Combine(home, "nuget-packages"),
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        ["DOTNET_NOLOGO"] = "1",
        ["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0",
        ["MSBUILDDISABLENODEREUSE"] = "1",
    };
}
