using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using SpeechServe.Adapters.Packages;
using SpeechServe.Adapters.Registry;
using SpeechServe.Export.Adaptation;
using SpeechServe.Export.Repository;
using SpeechServe.Serving.Admin;
using SpeechServe.Serving.Models;

namespace SpeechServe.Serving.Adaptation;

/// <summary>
/// The adaptation jobs of this server: a queue worked by <see cref="AdaptationOptions.MaxConcurrentJobs"/> workers
/// (one by default). Each job trains in a separate PyTorch process at a lower scheduling priority with
/// <see cref="AdaptationOptions.Threads"/> threads, then stores the package as a new, inactive adapter version.
/// </summary>
public sealed partial class AdaptationJobs(
    IOptions<AdaptationOptions> options, IOptions<AdapterOptions> adapterOptions, ILogger<AdaptationJobs> logger) : BackgroundService
{
    private static readonly TimeProvider Clock = TimeProvider.System;

    private readonly ConcurrentDictionary<string, AdaptationJob> _jobs = new(StringComparer.Ordinal);
    private readonly Channel<AdaptationJob> _queue = Channel.CreateUnbounded<AdaptationJob>();

    /// <summary>Every job, newest first.</summary>
    public IReadOnlyList<AdaptationJobStatus> All => [.. _jobs.Values.Select(j => j.Status).OrderByDescending(s => s.CreatedAt)];

    /// <summary>The job <paramref name="id"/>, or null.</summary>
    public AdaptationJobStatus? Find(string id) => _jobs.TryGetValue(id, out var job) ? job.Status : null;

    /// <summary>The settings a job gets from the server's configuration and the request.</summary>
    public AdaptationSettings Settings(double? timeBudgetMinutes, int? bottleneck) => new()
    {
        TimeBudget = TimeSpan.FromMinutes(timeBudgetMinutes ?? options.Value.DefaultTimeBudgetMinutes),
        Bottleneck = bottleneck,
        MinAudio = TimeSpan.FromSeconds(options.Value.MinAudioSeconds),
        Threads = options.Value.Threads,
        Device = options.Value.Device,
        Python = options.Value.Python,
        LowPriority = true,
    };

    /// <summary>Queues a job for a checked dataset.</summary>
    public AdaptationJobStatus Submit(string id, ServedModel served, string name, ValidatedDataset dataset, AdaptationSettings settings)
    {
        ArgumentNullException.ThrowIfNull(served);
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(settings);
        var status = new AdaptationJobStatus
        {
            Id = id,
            Name = name,
            BaseModel = served.Model.Id,
            State = AdaptationJobStatus.Queued,
            CreatedAt = Clock.GetUtcNow(),
            Utterances = dataset.Utterances.Count,
            AudioSeconds = Math.Round(dataset.Utterances.Sum(u => u.Duration.TotalSeconds), 1),
            TimeBudgetSeconds = settings.TimeBudget.TotalSeconds,
        };
        var job = new AdaptationJob(status, JobDirectory(id)) { Served = served, Dataset = dataset, Settings = settings };
        AdaptationJobStore.Save(job);
        _jobs[id] = job;
        _queue.Writer.TryWrite(job);
        return job.Status;
    }

    /// <summary>Where job <paramref name="id"/> keeps its files.</summary>
    public string JobDirectory(string id) => Path.Combine(options.Value.ResolvedJobsPath, id);

    /// <summary>Cancels a queued or running job and waits (briefly) for its training process to end.</summary>
    /// <returns>The status after cancelling; null for an unknown job.</returns>
    public async Task<AdaptationJobStatus?> CancelAsync(string id)
    {
        if (!_jobs.TryGetValue(id, out var job))
        {
            return null;
        }

        if (job.Status.State == AdaptationJobStatus.Queued)
        {
            Finish(job, s => s with { State = AdaptationJobStatus.Cancelled });
        }

        await job.Cancellation.CancelAsync().ConfigureAwait(false);
        try
        {
            await job.Completion.Task.WaitAsync(TimeSpan.FromSeconds(15)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Still winding down (e.g. packaging, which is not interrupted): the status says where it is.
        }

        return job.Status;
    }

    /// <inheritdoc />
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var job in AdaptationJobStore.LoadAll(options.Value.ResolvedJobsPath, Clock.GetUtcNow()))
        {
            _jobs[job.Status.Id] = job;
        }

        return base.StartAsync(cancellationToken);
    }

    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, Math.Max(1, options.Value.MaxConcurrentJobs)).Select(_ => WorkAsync(stoppingToken)));

    private async Task WorkAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var job in _queue.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                await RunAsync(job, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            foreach (var job in _jobs.Values.Where(j => !j.Status.IsFinished))
            {
                Finish(job, s => s with { State = AdaptationJobStatus.Failed, Error = $"the server stopped while the job was {s.State}. Submit the dataset again." });
            }
        }
    }

    private async Task RunAsync(AdaptationJob job, CancellationToken stoppingToken)
    {
        if (job.Status.IsFinished || job.Served is null || job.Dataset is null)
        {
            return;
        }

        var package = Path.Combine(job.Directory, "package.zip");
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(job.Cancellation.Token, stoppingToken);
        job.Update(s => s with { State = AdaptationJobStatus.Running, StartedAt = Clock.GetUtcNow() });
        AdaptationJobStore.Save(job);
        Log.JobStarted(logger, job.Status.Id, job.Status.Name, job.Status.BaseModel);
        try
        {
            var request = new AdaptationRequest
            {
                DataDirectory = job.Directory,
                ModelDirectory = job.Served.Model.Directory,
                Name = job.Status.Name,
                OutputPath = package,
                Replace = true,
                Settings = job.Settings,
            };
            var result = await DomainAdaptation.TrainAsync(job.Dataset, request, progress => Report(job, progress), cancellation.Token).ConfigureAwait(false);
            var version = job.Served.Adapters.Upload(job.Status.Name, await File.ReadAllBytesAsync(package, CancellationToken.None).ConfigureAwait(false), activate: false, adapterOptions.Value.PackageLimits);
            Finish(job, s => s with { State = AdaptationJobStatus.Succeeded, Version = version, BaseDevWer = result.Outcome.BaseDevWer, BestDevWer = result.Outcome.DevWer });
        }
        catch (OperationCanceledException) when (job.Cancellation.IsCancellationRequested)
        {
            Finish(job, s => s with { State = AdaptationJobStatus.Cancelled });
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            Finish(job, s => s with { State = AdaptationJobStatus.Failed, Error = "the server stopped while the job was running. Submit the dataset again." });
        }
        catch (Exception ex) when (ex is ExportException or AdapterPackageException or AdapterRegistryException or IOException or InvalidOperationException)
        {
            Finish(job, s => s with { State = AdaptationJobStatus.Failed, Error = ex.Message });
        }
        finally
        {
            job.Dataset = null;
            File.Delete(package);
            job.Completion.TrySetResult();
        }
    }

    private static void Report(AdaptationJob job, TrainingProgress progress)
    {
        var before = job.Status;
        var after = job.Update(s => s with
        {
            Stage = progress.Stage,
            Step = progress.Step,
            Epoch = progress.Epoch,
            Loss = progress.Loss,
            TimeLeftSeconds = Math.Round(progress.TimeLeft.TotalSeconds, 1),
            BaseDevWer = progress.BaseDevWer ?? s.BaseDevWer,
            DevWer = progress.DevWer ?? s.DevWer,
            BestDevWer = progress.BestDevWer ?? s.BestDevWer,
        });
        if (after.Stage != before.Stage || after.Epoch != before.Epoch || after.BaseDevWer != before.BaseDevWer)
        {
            AdaptationJobStore.Save(job);
        }
    }

    private void Finish(AdaptationJob job, Func<AdaptationJobStatus, AdaptationJobStatus> change)
    {
        var status = job.Update(s => change(s) with { FinishedAt = Clock.GetUtcNow(), Stage = null });
        AdaptationJobStore.Save(job);
        job.Completion.TrySetResult();
        Log.JobFinished(logger, status.Id, status.State, status.Error ?? string.Empty);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Adaptation job {Id} started: adapter {Name} of {Model}")]
        public static partial void JobStarted(ILogger logger, string id, string name, string model);

        [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "Adaptation job {Id} ended {State} {Error}")]
        public static partial void JobFinished(ILogger logger, string id, string state, string error);
    }
}
