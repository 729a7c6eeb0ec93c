namespace Tickets.Cli;

/// <summary>
/// How `tickets serve` asks .NET's socket engine to run its continuations. By default the engine's epoll thread hands
/// every completed read and write to the thread pool, which wakes a worker for it: a handshake then pays several
/// thread wake-ups, and on this kind of machine the scheduling behind them was the largest single cost of a handshake
/// (about 40 % of the server's CPU in a profile). With inline completions the epoll thread runs the continuation
/// itself, like an event loop: 10–18 % less CPU per full handshake and ~10 % per resumed one in A/B runs, with the same
/// throughput under concurrent clients. It is safe here because nothing in the server blocks a continuation (no
/// synchronous waits on socket I/O; stdin commands run on their own thread).
/// </summary>
/// <remarks>
/// The runtime reads the setting from the environment when the first socket is created, so it is set at the very
/// start of the process. A value the user set (for example <c>0</c> to compare) is left alone. The library does not
/// do this: the setting is process-wide, the application's to choose.
/// </remarks>
internal static class SocketEngineSettings
{
    public const string InlineCompletions = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    public static void Apply()
    {
        if (Environment.GetEnvironmentVariable(InlineCompletions) is null)
        {
            Environment.SetEnvironmentVariable(InlineCompletions, "1");
        }
    }
}
