using System.Globalization;
using SpeechServe.Runtime.Audio;
using SpeechServe.Runtime.Decoding;
using SpeechServe.Runtime.Features;

namespace SpeechServe.Export.Adaptation;

/// <summary>A usable row: its server-side features and normalised text.</summary>
/// <param name="Line">The metadata line it came from.</param>
/// <param name="Features">Log-mel features, row-major <c>[Frames, 80]</c>, exactly as the server computes them.</param>
/// <param name="Frames">Feature frames (100 per second).</param>
/// <param name="Text">The normalised transcription.</param>
public sealed record AdaptationUtterance(int Line, float[] Features, int Frames, string Text)
{
    /// <summary>The utterance's length.</summary>
    public TimeSpan Duration => TimeSpan.FromSeconds(Frames / 100.0);
}

/// <summary>
/// Checks every row of a dataset before anything is trained: the file exists inside the dataset, decodes with the
/// server's audio decoder, is not longer than allowed and is long enough for its text, and the text is neither
/// empty nor unspellable. Every bad row is reported; the dataset is refused when any row is bad or when the usable
/// audio is under the minimum.
/// </summary>
public sealed class DatasetValidator(TokenVocabulary vocabulary, AdaptationSettings settings, AudioDecoder? decoder = null)
{
    private readonly AudioDecoder _decoder = decoder ?? new AudioDecoder();
    private readonly TranscriptNormalizer _normalizer = new(vocabulary);

    /// <summary>Reads and checks the dataset in <paramref name="directory"/>.</summary>
    /// <exception cref="DatasetException">The dataset was refused; the exception lists every bad row.</exception>
    public async Task<IReadOnlyList<AdaptationUtterance>> ValidateAsync(string directory, Action<int, int>? progress = null, CancellationToken cancellationToken = default)
    {
        var root = Path.GetFullPath(directory);
        if (!Directory.Exists(root))
        {
            throw new DatasetException($"the dataset directory {directory} does not exist.");
        }

        var (rows, problems) = DatasetMetadata.Read(root);
        var allProblems = problems.ToList();
        var utterances = new List<AdaptationUtterance>();
        for (var i = 0; i < rows.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (utterance, problem) = await CheckAsync(root, rows[i], cancellationToken).ConfigureAwait(false);
            if (utterance is not null)
            {
                utterances.Add(utterance);
            }
            else
            {
                allProblems.Add(new RowProblem(rows[i].Line, rows[i].FileName, problem!));
            }

            progress?.Invoke(i + 1, rows.Count);
        }

        if (allProblems.Count > 0)
        {
            throw new DatasetException(
                $"{allProblems.Count} of {rows.Count + problems.Count} rows cannot be used; fix or remove them:",
                [.. allProblems.OrderBy(p => p.Line)]);
        }

        var usable = TimeSpan.FromSeconds(utterances.Sum(u => u.Frames) / 100.0);
        if (usable < settings.MinAudio)
        {
            throw new DatasetException(
                $"the dataset holds {Seconds(usable)} of usable audio in {utterances.Count} utterances; adaptation needs at least {Seconds(settings.MinAudio)}.");
        }

        return utterances;
    }

    private async Task<(AdaptationUtterance?, string?)> CheckAsync(string root, DatasetRow row, CancellationToken cancellationToken)
    {
        if (row.FileName.Length == 0)
        {
            return (null, "file_name is empty.");
        }

        var path = Path.GetFullPath(Path.Combine(root, row.FileName));
        if (Path.IsPathRooted(row.FileName) || !path.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            return (null, "file_name must be a path inside the dataset directory.");
        }

        if (!File.Exists(path))
        {
            return (null, "the audio file does not exist.");
        }

        var text = _normalizer.Normalize(row.Transcription, out var textProblem);
        if (text is null)
        {
            return (null, textProblem);
        }

        DecodedAudio audio;
        try
        {
            audio = await _decoder.DecodeAsync(await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false), cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (AudioFormatException ex)
        {
            return (null, $"the audio cannot be decoded: {ex.Message}");
        }

        if (audio.Duration > settings.MaxUtterance)
        {
            return (null, $"the audio is {Seconds(audio.Duration)} long; split it into utterances of at most {Seconds(settings.MaxUtterance)}.");
        }

        var features = LogMelFrontend.Compute(audio.Samples);
        var frames = features.Length / LogMelSpec.MelBins;
        if (frames / 4 < TranscriptNormalizer.TokenCount(text))
        {
            return (null, $"the audio ({Seconds(audio.Duration)}) is too short for its {text.Length}-character transcription; check that they belong together.");
        }

        return (new AdaptationUtterance(row.Line, features, frames, text), null);
    }

    internal static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";
}
