using System.Text;

namespace Tickets.Tests.Engine;

/// <summary>The NSS key log the context writes matches the one openssl s_client writes for the same connection.</summary>
[Trait("Category", TestCategory.Interop)]
public sealed class KeyLogTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("tickets-keylog-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public async Task Server_and_client_log_the_same_secrets()
    {
        var serverLog = new StringWriter();
        await using var server = new EngineTestServer();
        server.Context.KeyLogWriter = serverLog;
        var clientLogFile = Path.Combine(directory, "client.keys");

        await OpenSslClient.RunAsync(server.Port, ["-tls1_3", "-keylogfile", clientLogFile]);

        static string[] Lines(string text) =>
            text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Where(line => !line.StartsWith('#'))
                .Order(StringComparer.Ordinal)
                .ToArray();

        var expected = Lines(await File.ReadAllTextAsync(clientLogFile, Encoding.ASCII));
        Assert.Equal(5, expected.Length);
        Assert.Equal(expected, Lines(serverLog.ToString()));
    }

    [Fact]
    public async Task Nothing_is_logged_without_a_writer()
    {
        await using var server = new EngineTestServer();
        var run = await OpenSslClient.RunAsync(server.Port, ["-tls1_3"]);
        Assert.Contains(EngineTestServer.Greeting, run.Output);
        Assert.Null(server.Context.KeyLogWriter);
    }
}
