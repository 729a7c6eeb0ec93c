using System.Globalization;

namespace Tickets.Tests.Interop;

/// <summary>
/// `dotnet Tickets.Cli.dll serve --port 0 ...` as a child process: the real command, started the way a user would.
/// Port 0 lets the kernel pick a free port with no race; the "listening on" line says which.
/// </summary>
public sealed class TicketsServer : TlsServer
{
    private const string ListeningPrefix = "tickets: listening on ";
    private int nextLine;

    private TicketsServer(ServerProcess process, int port)
        : base(process, port)
    {
    }

    public override ServerKind Kind => ServerKind.Tickets;

    public static IReadOnlyList<string> ArgumentsFor(int? numTickets, bool www)
    {
        var arguments = new List<string> { "--port", "0" };
        if (numTickets is { } count)
        {
            arguments.AddRange(["--num-tickets", count.ToString(CultureInfo.InvariantCulture)]);
        }

        if (www)
        {
            arguments.Add("--www");
        }

        return arguments;
    }

    /// <summary>Starts `tickets serve` with these options and waits for it to listen.</summary>
    public static async Task<TicketsServer> StartAsync(
        IEnumerable<string> serveArguments,
        bool closeStandardInput = false,
        string? dataHome = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var process = StartCommand(["serve", .. serveArguments], closeStandardInput, dataHome, environment);
        try
        {
            var (line, index) = await process.WaitForLineAsync(l => l.StartsWith(ListeningPrefix, StringComparison.Ordinal), StartTimeout);
            var endpoint = line[ListeningPrefix.Length..];
            var port = int.Parse(endpoint[(endpoint.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture);
            return new TicketsServer(process, port) { nextLine = index + 1 };
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Starts the command with any arguments (also invalid ones), for the command-line tests; <paramref name="environment"/>
    /// adds variables (e.g. a fleet's KEK) to the child's environment.
    /// </summary>
    public static ServerProcess StartCommand(
        IEnumerable<string> arguments,
        bool closeStandardInput = false,
        string? dataHome = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var variables = new Dictionary<string, string>(environment ?? new Dictionary<string, string>())
        {
            ["XDG_DATA_HOME"] = dataHome ?? InteropPaths.Scratch,
        };
        // Through `env --default-signal=INT` (coreutils, which execs in place: same process id): a test runner started
        // in the background of a non-interactive shell passes SIGINT down as ignored, and the server would then rightly
        // keep ignoring it, as nohup'd programs do. The server under test should see SIGINT as from a terminal.
        return ServerProcess.Start(
            "env", ["--default-signal=INT", InteropPaths.DotnetHost, InteropPaths.CliAssembly, .. arguments], variables, closeStandardInput);
    }

    /// <summary>Runs the command to completion (for --help, --version and usage errors).</summary>
    public static Task<ProcessResult> RunCommandAsync(params string[] arguments) =>
        ExternalProgram.RunAsync(
            InteropPaths.DotnetHost,
            [InteropPaths.CliAssembly, .. arguments],
            environment: new Dictionary<string, string> { ["XDG_DATA_HOME"] = InteropPaths.Scratch });

    /// <summary>
    /// The next per-connection log line not yet consumed by this method. Connections are logged when their
    /// handshake ends, so after a client run finished its line is there or about to be.
    /// </summary>
    public async Task<ServerConnectionLine> NextConnectionAsync()
    {
        var (line, index) = await Process.WaitForLineAsync(ServerConnectionLine.IsConnectionLine, TimeSpan.FromSeconds(15), nextLine);
        nextLine = index + 1;
        return ServerConnectionLine.Parse(line);
    }

    /// <summary>Waits for the next output line (of any kind) matching, after those already consumed.</summary>
    public async Task<string> NextLineAsync(Func<string, bool> match)
    {
        var (line, index) = await Process.WaitForLineAsync(match, TimeSpan.FromSeconds(15), nextLine);
        nextLine = index + 1;
        return line;
    }
}
