using SpeechServe.Export.Adaptation;
using SpeechServe.Serving.Models;

namespace SpeechServe.Serving.Adaptation;

/// <summary>A job the server holds: its status (replaced whole on every change) and, until it runs, its checked dataset.</summary>
internal sealed class AdaptationJob(AdaptationJobStatus status, string directory)
{
    private readonly Lock _gate = new();

    public AdaptationJobStatus Status { get; private set; } = status;

    /// <summary>Where <c>job.json</c> and the package being written live.</summary>
    public string Directory { get; } = directory;

    public ServedModel? Served { get; init; }

    public ValidatedDataset? Dataset { get; set; }

    public AdaptationSettings Settings { get; init; } = new();

    public CancellationTokenSource Cancellation { get; } = new();

    /// <summary>Completes when the job has ended, whatever the outcome.</summary>
    public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Applies <paramref name="change"/> unless the job has already ended; returns the status after it.</summary>
    public AdaptationJobStatus Update(Func<AdaptationJobStatus, AdaptationJobStatus> change)
    {
        lock (_gate)
        {
            if (!Status.IsFinished)
            {
                Status = change(Status);
            }

            return Status;
        }
    }
}
