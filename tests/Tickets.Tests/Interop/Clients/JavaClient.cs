using System.Globalization;

namespace Tickets.Tests.Interop.Clients;

/// <summary>
/// Java 17 JSSE, a one-file program compiled once per test run with javac (launching `java TicketsClient.java`
/// directly would recompile it for every run, seconds each on a busy 2-core machine). JSSE keeps tickets in the SSLContext's
/// client session cache and offers them by itself on the next connection to the same host and port, so the program
/// just connects several times with one SSLContext. There is no public "was this resumed" API; with
/// -Djavax.net.debug=ssl:handshake JSSE logs "Consuming NewSessionTicket message" per ticket and "Resuming session"
/// when the server accepted the offered PSK. The program prints a marker line before each connection into the same
/// stream (standard error) so the log can be split per connection.
/// </summary>
public static class JavaClient
{
    private const string Marker = "#tickets-connection ";

    private const string Source = """
        import java.io.ByteArrayOutputStream;
        import java.io.InputStream;
        import java.io.OutputStream;
        import java.nio.charset.StandardCharsets;
        import java.security.cert.X509Certificate;
        import javax.net.ssl.SSLContext;
        import javax.net.ssl.SSLSocket;
        import javax.net.ssl.TrustManager;
        import javax.net.ssl.X509TrustManager;

        // Usage: java TicketsClient.java PORT CONNECTIONS
        public class TicketsClient {
            public static void main(String[] args) throws Exception {
                int port = Integer.parseInt(args[0]);
                int connections = Integer.parseInt(args[1]);
                // The servers use throwaway certificates: accept any, the test is about tickets, not trust.
                TrustManager[] trustAll = { new X509TrustManager() {
                    public void checkClientTrusted(X509Certificate[] chain, String authType) { }
                    public void checkServerTrusted(X509Certificate[] chain, String authType) { }
                    public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
                } };
                SSLContext context = SSLContext.getInstance("TLSv1.3");
                context.init(null, trustAll, null);
                for (int i = 0; i < connections; i++) {
                    System.err.println("#tickets-connection " + i);
                    System.err.flush();
                    try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
                        socket.setSoTimeout(10000);
                        socket.setEnabledProtocols(new String[] { "TLSv1.3" });
                        socket.startHandshake();
                        OutputStream out = socket.getOutputStream();
                        out.write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                        // Reading to the end also consumes every NewSessionTicket the server sent.
                        InputStream in = socket.getInputStream();
                        ByteArrayOutputStream page = new ByteArrayOutputStream();
                        byte[] buffer = new byte[4096];
                        for (int n; (n = in.read(buffer)) > 0; ) page.write(buffer, 0, n);
                        System.out.println("#page " + i + " " + page.size() + " " + socket.getSession().getCipherSuite());
                    }
                }
            }
        }
        """;

    private static readonly Lazy<Task<string>> Compiled = new(CompileAsync);

    public sealed record Run(IReadOnlyList<ClientConnection> Connections, ProcessResult Output);

    public static async Task<Run> ChainAsync(int port, int connections)
    {
        var classes = await Compiled.Value;
        // Client-VM style flags: these runs are short, so quick start-up matters more than peak speed.
        var result = await ExternalProgram.RunAsync(
            "java",
            [
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Djavax.net.debug=ssl:handshake", "-cp", classes, "TicketsClient",
                port.ToString(CultureInfo.InvariantCulture), connections.ToString(CultureInfo.InvariantCulture),
            ],
            timeout: TimeSpan.FromSeconds(60));
        Assert.True(result.ExitCode == 0, result.Describe());

        // Segment i is everything JSSE logged between marker i and marker i+1.
        var segments = result.StandardError.Split(Marker)[1..];
        Assert.True(segments.Length == connections, $"expected {connections} connection markers:\n{result.Describe()}");
        var pages = result.StandardOutput.Split('\n').Count(line => line.StartsWith("#page ", StringComparison.Ordinal));
        Assert.True(pages == connections, $"every connection should have fetched a page:\n{result.Describe()}");

        var observed = segments
            .Select(segment => new ClientConnection(
                Occurrences(segment, "Consuming NewSessionTicket message"),
                segment.Contains("Resuming session", StringComparison.Ordinal)))
            .ToArray();
        return new Run(observed, result);
    }

    private static async Task<string> CompileAsync()
    {
        var directory = InteropPaths.NewDirectory("java");
        var source = Path.Combine(directory, "TicketsClient.java");
        await File.WriteAllTextAsync(source, Source);
        var result = await ExternalProgram.RunAsync("javac", ["-d", directory, source], timeout: TimeSpan.FromSeconds(60));
        Assert.True(result.ExitCode == 0, result.Describe());
        return directory;
    }

    private static int Occurrences(string text, string value)
    {
        var count = 0;
        for (var at = text.IndexOf(value, StringComparison.Ordinal); at >= 0; at = text.IndexOf(value, at + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
