using Microsoft.Extensions.Logging;

namespace SpeechServe.Bench.Device;

/// <summary>Keeps the warnings and errors logged while sessions load, such as why CUDA fell back to the CPU.</summary>
internal sealed class WarningCollector : ILogger
{
    public List<string> Messages { get; } = [];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (IsEnabled(logLevel))
        {
            lock (Messages)
            {
                Messages.Add(formatter(state, exception));
            }
        }
    }
}
