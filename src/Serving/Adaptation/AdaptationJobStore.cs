using System.Text.Json;

namespace SpeechServe.Serving.Adaptation;

/// <summary>
/// Keeps each job's status in <c>&lt;jobs&gt;/&lt;id&gt;/job.json</c> (written to a temporary file and renamed), so a
/// restarted server still answers for its jobs: one that was queued or running is reported <c>failed</c>.
/// </summary>
internal static class AdaptationJobStore
{
    private const string FileName = "job.json";

    public static void Save(AdaptationJob job)
    {
        Directory.CreateDirectory(job.Directory);
        var path = Path.Combine(job.Directory, FileName);
        var temporary = path + ".tmp";
        File.WriteAllBytes(temporary, JsonSerializer.SerializeToUtf8Bytes(job.Status));
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>The jobs under <paramref name="jobsPath"/>, unfinished ones marked failed (and saved so).</summary>
    public static IEnumerable<AdaptationJob> LoadAll(string jobsPath, DateTimeOffset now)
    {
        if (!Directory.Exists(jobsPath))
        {
            yield break;
        }

        foreach (var directory in Directory.GetDirectories(jobsPath))
        {
            var path = Path.Combine(directory, FileName);
            AdaptationJobStatus? status = null;
            try
            {
                status = File.Exists(path) ? JsonSerializer.Deserialize<AdaptationJobStatus>(File.ReadAllBytes(path)) : null;
            }
            catch (JsonException)
            {
                // A job.json cut short by a crash: the job is reported by nobody, as it never answered 202 either.
            }

            if (status is null)
            {
                continue;
            }

            var job = new AdaptationJob(status, directory);
            if (!status.IsFinished)
            {
                job.Update(s => s with
                {
                    State = AdaptationJobStatus.Failed,
                    FinishedAt = now,
                    Error = $"the server stopped while the job was {s.State}; its training was lost. Submit the dataset again.",
                });
                Save(job);
            }

            job.Completion.TrySetResult();
            yield return job;
        }
    }
}
