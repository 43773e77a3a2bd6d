using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using SpeechServe.Export.Repository;

namespace SpeechServe.Export.Adaptation;

/// <summary>What training reported at its end.</summary>
/// <param name="BaseDevWer">Dev WER of the base model.</param>
/// <param name="DevWer">Dev WER of the kept adapter.</param>
/// <param name="Steps">Optimiser steps.</param>
/// <param name="Epochs">Completed epochs.</param>
/// <param name="TrainSeconds">Training time, dev evaluations excluded.</param>
public sealed record TrainingOutcome(double BaseDevWer, double DevWer, int Steps, int Epochs, double TrainSeconds);

/// <summary>
/// Runs <c>training/adapt.py</c> (PyTorch) on a <see cref="TrainingWorkspace"/> as a child process with a bounded
/// number of threads, optionally at a lower scheduling priority, and turns its JSON-lines events into
/// <see cref="TrainingProgress"/> reports. Cancelling kills the process.
/// </summary>
public static class AdapterTrainingProcess
{
    /// <summary>The training script, copied beside the exporter's binaries.</summary>
    public static string ScriptPath { get; } = Path.Combine(AppContext.BaseDirectory, "training", "adapt.py");

    /// <summary>Trains the adapter <paramref name="name"/> on <paramref name="workspace"/>.</summary>
    /// <exception cref="ExportException">Training failed; the message carries the end of its log.</exception>
    public static async Task<TrainingOutcome> RunAsync(
        TrainingWorkspace workspace, string name, AdaptationSettings settings, Action<TrainingProgress> progress, CancellationToken cancellationToken)
    {
        using var process = Start(workspace, name, settings);
        var log = new Queue<string>();
        var errors = Task.Run(async () =>
        {
            while (await process.StandardError.ReadLineAsync(CancellationToken.None).ConfigureAwait(false) is { } line)
            {
                lock (log)
                {
                    log.Enqueue(line);
                    if (log.Count > 20)
                    {
                        log.Dequeue();
                    }
                }
            }
        }, CancellationToken.None);
        using var kill = cancellationToken.Register(() => process.Kill(entireProcessTree: true));
        var state = new TrainingProgress { Stage = "training", TimeLeft = settings.TimeBudget };
        TrainingOutcome? outcome = null;
        while (await process.StandardOutput.ReadLineAsync(CancellationToken.None).ConfigureAwait(false) is { } line)
        {
            (state, outcome) = Apply(state, outcome, line, settings.TimeBudget);
            progress(state);
        }

        await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        await errors.ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        if (process.ExitCode != 0 || outcome is null || !File.Exists(workspace.AdapterPath))
        {
            throw new ExportException($"training exited with code {process.ExitCode}:\n{string.Join('\n', log)}");
        }

        return outcome;
    }

    private static Process Start(TrainingWorkspace workspace, string name, AdaptationSettings settings)
    {
        var threads = Math.Max(1, settings.Threads).ToString(CultureInfo.InvariantCulture);
        var start = new ProcessStartInfo(settings.Python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        // OpenMP and BLAS size their pools from these before PyTorch's own setting applies.
        start.Environment["OMP_NUM_THREADS"] = threads;
        start.Environment["MKL_NUM_THREADS"] = threads;
        foreach (var argument in new[]
        {
            ScriptPath, "--work", workspace.Directory, "--name", name, "--threads", threads, "--device", settings.Device,
            "--time-budget-s", settings.TimeBudget.TotalSeconds.ToString(CultureInfo.InvariantCulture),
            "--max-epochs", settings.MaxEpochs.ToString(CultureInfo.InvariantCulture),
            "--patience", settings.Patience.ToString(CultureInfo.InvariantCulture),
        })
        {
            start.ArgumentList.Add(argument);
        }

        if (settings.Bottleneck is { } bottleneck)
        {
            start.ArgumentList.Add("--bottleneck");
            start.ArgumentList.Add(bottleneck.ToString(CultureInfo.InvariantCulture));
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new ExportException($"could not start {settings.Python}.");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new ExportException($"could not start {settings.Python} ({ex.Message}); install Debian's python3-torch or pass --python.", ex);
        }

        if (settings.LowPriority)
        {
            process.PriorityClass = ProcessPriorityClass.BelowNormal;
        }

        return process;
    }

    private static (TrainingProgress, TrainingOutcome?) Apply(TrainingProgress state, TrainingOutcome? outcome, string line, TimeSpan budget)
    {
        JsonElement e;
        try
        {
            e = JsonDocument.Parse(line).RootElement;
        }
        catch (JsonException)
        {
            return (state, outcome); // a library's stray print; the log is on standard error
        }

        double Number(string key) => e.GetProperty(key).GetDouble();
        TimeSpan Elapsed() => TimeSpan.FromSeconds(Number("elapsed_s"));
        return e.GetProperty("event").GetString() switch
        {
            "base" => (state with { BaseDevWer = Number("dev_wer") }, outcome),
            "step" => (state with
            {
                Step = (int)Number("step"), Loss = Number("loss"), Elapsed = Elapsed(),
                TimeLeft = budget - Elapsed() > TimeSpan.Zero ? budget - Elapsed() : TimeSpan.Zero,
            }, outcome),
            "eval" => (state with { Epoch = (int)Number("epoch") + 1, DevWer = Number("dev_wer"), BestDevWer = Number("best_dev_wer") }, outcome),
            "done" => (state, new TrainingOutcome(Number("base_dev_wer"), Number("dev_wer"), (int)Number("steps"), (int)Number("epochs"), Number("train_seconds"))),
            _ => (state, outcome),
        };
    }
}
