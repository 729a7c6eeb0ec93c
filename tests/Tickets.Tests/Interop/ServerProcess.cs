using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Tickets.Tests.Interop;

/// <summary>
/// A long-running server program (tickets serve, openssl s_server) whose output lines are collected as they
/// arrive, so a test can wait for "listening" before connecting and for each connection's log line afterwards.
/// Disposing kills it (and its children) if it is still running.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private const int SigTerm = 15;
    private const int SigInt = 2;

    private readonly Process process;
    private readonly Lock gate = new();
    private readonly List<string> outputLines = [];
    private readonly List<string> errorLines = [];
    private int openStreams = 2;
    private TaskCompletionSource changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ServerProcess(Process process, string description)
    {
        this.process = process;
        Description = description;
    }

    public string Description { get; }

    public int ProcessId => process.Id;

    public bool HasExited => process.HasExited;

    public static ServerProcess Start(
        string program,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string>? environment = null,
        bool closeStandardInput = false)
    {
        var argumentList = arguments.ToArray();
        var process = new Process { StartInfo = ExternalProgram.StartInfo(program, argumentList, environment), EnableRaisingEvents = true };
        var server = new ServerProcess(process, $"{program} {string.Join(' ', argumentList)}");
        process.OutputDataReceived += (_, e) => server.Receive(server.outputLines, e.Data);
        process.ErrorDataReceived += (_, e) => server.Receive(server.errorLines, e.Data);
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception error)
        {
            throw new InvalidOperationException($"cannot start '{program}' (is it installed and on PATH?): {error.Message}", error);
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        // By default standard input stays open and unread, like a terminal nobody types into; closing it
        // checks the server does not take end-of-input as a reason to stop.
        if (closeStandardInput)
        {
            process.StandardInput.Close();
        }

        return server;
    }

    /// <summary>Standard output lines so far.</summary>
    public IReadOnlyList<string> OutputLines
    {
        get
        {
            lock (gate)
            {
                return outputLines.ToArray();
            }
        }
    }

    /// <summary>Standard error lines so far.</summary>
    public IReadOnlyList<string> ErrorLines
    {
        get
        {
            lock (gate)
            {
                return errorLines.ToArray();
            }
        }
    }

    /// <summary>
    /// Waits for the first standard output line at or after index <paramref name="from"/> that matches; fails with all
    /// output when the deadline passes or the program ends first.
    /// </summary>
    public async Task<(string Line, int Index)> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout, int from = 0)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            Task pulse;
            lock (gate)
            {
                for (var index = from; index < outputLines.Count; index++)
                {
                    if (match(outputLines[index]))
                    {
                        return (outputLines[index], index);
                    }
                }

                if (openStreams == 0)
                {
                    throw new InvalidOperationException($"{Description} ended before printing the expected line\n{DescribeOutput()}");
                }

                pulse = changed.Task;
            }

            var remaining = timeout - deadline.Elapsed;
            if (remaining <= TimeSpan.Zero)
            {
                throw new TimeoutException($"{Description} did not print the expected line within {timeout}\n{DescribeOutput()}");
            }

            await Task.WhenAny(pulse, Task.Delay(remaining));
        }
    }

    /// <summary>Writes one line to the program's standard input (for s_server-style commands, or an interactive client).</summary>
    public async Task SendLineAsync(string line)
    {
        await process.StandardInput.WriteLineAsync(line);
        await process.StandardInput.FlushAsync();
    }

    /// <summary>Ends the program's standard input, as typing Ctrl+D would.</summary>
    public void CloseInput() => process.StandardInput.Close();

    /// <summary>Waits for the program to exit on its own; false when it is still running at the deadline.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Sends SIGTERM or SIGINT (as a user or service manager would) and returns the exit code.</summary>
    public async Task<int> SignalAndWaitAsync(bool interrupt, TimeSpan timeout)
    {
        if (Kill(process.Id, interrupt ? SigInt : SigTerm) != 0)
        {
            throw new InvalidOperationException($"kill({process.Id}) failed with errno {Marshal.GetLastPInvokeError()}");
        }

        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{Description} did not exit within {timeout} of the signal\n{DescribeOutput()}");
        }

        return process.ExitCode;
    }

    public string DescribeOutput()
    {
        lock (gate)
        {
            return $"--- stdout ---\n{string.Join('\n', outputLines)}\n--- stderr ---\n{string.Join('\n', errorLines)}";
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (InvalidOperationException)
        {
            // Never started or already reaped: nothing left to stop.
        }
        finally
        {
            process.Dispose();
        }
    }

    private void Receive(List<string> lines, string? line)
    {
        TaskCompletionSource pulse;
        lock (gate)
        {
            if (line is null)
            {
                openStreams--;
            }
            else
            {
                lines.Add(line);
            }

            pulse = changed;
            changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        pulse.TrySetResult();
    }

    // POSIX kill(2): .NET can only send SIGKILL to another process, and the shutdown tests need SIGTERM/SIGINT.
    // DllImport rather than LibraryImport: the source-generated form needs unsafe code enabled in the project.
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
