using SpeechServe.Adapters.Registry;

namespace SpeechServe.Serving.Admin;

/// <summary>Writes adapter lifecycle steps to the log; <see cref="AdapterLifecycleReporter"/> calls it for every step.</summary>
public sealed partial class AdapterLifecycleLog(ILogger<AdapterLifecycleLog> logger) : IAdapterLifecycleListener
{
    /// <inheritdoc />
    public void OnLifecycleEvent(AdapterLifecycleEvent lifecycleEvent)
    {
        ArgumentNullException.ThrowIfNull(lifecycleEvent);
        var (stage, model, name, version, detail) = lifecycleEvent;
        switch (stage)
        {
            case AdapterLifecycleStage.Rejected:
                Log.Rejected(logger, name, model, detail);
                break;
            case AdapterLifecycleStage.LoadFailed:
                Log.LoadFailed(logger, name, version, model, detail);
                break;
            case AdapterLifecycleStage.Activated:
                Log.Activated(logger, name, version, model);
                break;
            case AdapterLifecycleStage.Deleted:
                Log.Deleted(logger, name, model, detail);
                break;
            default:
                Log.Step(logger, stage, name, version, model);
                break;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 100, Level = LogLevel.Debug, Message = "Adapter {Name}@{Version} of {Model}: {Stage}")]
        public static partial void Step(ILogger logger, AdapterLifecycleStage stage, string name, int? version, string model);

        [LoggerMessage(EventId = 101, Level = LogLevel.Warning, Message = "Refused a package for adapter {Name} of {Model}: {Reason}")]
        public static partial void Rejected(ILogger logger, string name, string model, string? reason);

        [LoggerMessage(EventId = 102, Level = LogLevel.Error, Message = "Could not load adapter {Name}@{Version} of {Model}: {Reason}")]
        public static partial void LoadFailed(ILogger logger, string name, int? version, string model, string? reason);

        [LoggerMessage(EventId = 103, Level = LogLevel.Information, Message = "Activated adapter {Name}@{Version} of {Model}")]
        public static partial void Activated(ILogger logger, string name, int? version, string model);

        [LoggerMessage(EventId = 104, Level = LogLevel.Information, Message = "Deleted adapter {Name} of {Model} ({Detail})")]
        public static partial void Deleted(ILogger logger, string name, string model, string? detail);
    }
}
