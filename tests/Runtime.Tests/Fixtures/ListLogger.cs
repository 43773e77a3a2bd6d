using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace SpeechServe.Runtime.Tests.Fixtures;

/// <summary>A logger that keeps every entry so tests can assert what was logged.</summary>
public sealed class ListLogger : ILogger
{
    private readonly ConcurrentQueue<LogEntry> _entries = new();

    public IReadOnlyCollection<LogEntry> Entries => _entries;

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(
        LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        _entries.Enqueue(new LogEntry(logLevel, eventId, formatter(state, exception)));
}

/// <summary>One log entry.</summary>
public sealed record LogEntry(LogLevel Level, EventId EventId, string Message);
