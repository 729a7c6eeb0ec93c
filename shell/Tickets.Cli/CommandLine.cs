using System.Reflection;
using System.Runtime.InteropServices;

namespace Tickets.Cli;

/// <summary>Dispatches the parsed command line and owns the process-level concerns: exit codes and signals.</summary>
internal static class CommandLine
{
    public static async Task<int> RunAsync(string[] args)
    {
        switch (ArgumentParser.Parse(args))
        {
            case ParsedCommand.ShowHelp:
                Console.Out.WriteLine(Usage.Text);
                return ExitCodes.Ok;
            case ParsedCommand.ShowVersion:
                Console.Out.WriteLine($"tickets {Version()}");
                return ExitCodes.Ok;
            case ParsedCommand.Invalid invalid:
                Usage.WriteError(Console.Error, invalid.Problem);
                return ExitCodes.Usage;
            case ParsedCommand.Serve serve:
                return await ServeUntilSignalledAsync(serve.Options);
            case ParsedCommand.TicketKeys keys:
                return TicketKeysCommand.Run(keys.Request, Console.Out, Console.Error);
            default:
                throw new InvalidOperationException("unreachable: ParsedCommand is a closed set");
        }
    }

    public static string Version()
    {
        var assembly = typeof(CommandLine).Assembly;
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        // The SDK appends "+<commit>" to the informational version; the short form is what people compare.
        return informational?.Split('+')[0] ?? assembly.GetName().Version?.ToString() ?? "unknown";
    }

    private static async Task<int> ServeUntilSignalledAsync(ServeOptions options)
    {
        using var stop = new CancellationTokenSource();

        // SIGINT (Ctrl+C) and SIGTERM both mean "finish cleanly": cancelling the default action keeps the runtime
        // from exiting under us, so open connections are closed and the exit code is 0. Standard input carries
        // s_server-style commands; its end only stops the reading, so the server keeps running when it is closed or
        // redirected (under nohup, systemd, tests).
        void RequestStop(PosixSignalContext signal)
        {
            signal.Cancel = true;
            stop.Cancel();
        }

        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, RequestStop);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, RequestStop);

        var log = new ServeLog(Console.Out, options.Quiet);
        return await ServeCommand.RunAsync(options, log, Console.Error, stop.Token, Console.In);
    }
}
