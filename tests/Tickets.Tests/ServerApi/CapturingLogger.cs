using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Tickets.Tests.ServerApi;

/// <summary>One log event as a provider received it: its category, level, id, rendered message and named values.</summary>
internal sealed record LoggedEvent(string Category, LogLevel Level, EventId Id, string Message, IReadOnlyList<KeyValuePair<string, object?>> State);

/// <summary>An <see cref="ILoggerFactory"/> that keeps every event at every level, for tests to read back.</summary>
internal sealed class CapturingLoggerFactory : ILoggerFactory
{
    public ConcurrentQueue<LoggedEvent> Events { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, Events);

    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException();

    public void Dispose()
    {
    }

    /// <summary>The events with <paramref name="id"/>, in the order they were logged.</summary>
    public LoggedEvent[] WithId(int id) => Events.Where(logged => logged.Id.Id == id).ToArray();

    /// <summary>Waits (up to 10 s) for an event with <paramref name="id"/> matching <paramref name="match"/>.</summary>
    public async Task<LoggedEvent> WaitForAsync(int id, Func<LoggedEvent, bool>? match = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            if (WithId(id).FirstOrDefault(logged => match?.Invoke(logged) ?? true) is { } found)
            {
                return found;
            }

            await Task.Delay(10);
        }

        throw new Xunit.Sdk.XunitException(
            $"no log event {id} came; logged: {string.Join(" | ", Events.Select(logged => $"{logged.Id.Id} {logged.Message}"))}");
    }

    private sealed class Logger(string category, ConcurrentQueue<LoggedEvent> events) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state as IReadOnlyList<KeyValuePair<string, object?>> ?? [];
            events.Enqueue(new LoggedEvent(category, logLevel, eventId, formatter(state, exception), values.ToArray()));
        }
    }
}
