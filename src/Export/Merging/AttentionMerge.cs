using System.Globalization;
using SpeechServe.Export.Repository;
using SpeechServe.Runtime.Tensors;

namespace SpeechServe.Export.Merging;

/// <summary>
/// Multimodal attention merging (MAM, arXiv 2312.14378), as <c>training/speechfm/attention_merge.py</c> computes it:
/// the query, key and value projections (weights and biases; not the output projection) of the merged encoder
/// layers become <c>(1 - a) * W_speech + a * W_text</c> in float32, with <c>1 - a</c> and <c>a</c> each rounded once
/// to float32. The text model holds exactly these tensors, under the names of the encoder tensors they merge into.
/// </summary>
public static class AttentionMerge
{
    private static readonly string[] Projections = ["q", "k", "v"];
    private static readonly string[] Parts = ["weight", "bias"];

    /// <summary>The merged tensors of <paramref name="layers"/>, layer by layer.</summary>
    public static IReadOnlyList<string> TensorNames(IEnumerable<int> layers) =>
        [.. layers.SelectMany(layer => Projections.SelectMany(projection => Parts.Select(part => $"layers.{layer}.attn.{projection}.{part}")))];

    /// <summary>The layers of <c>--layers</c>: <c>all</c> (or null) or comma-separated 0-based indices, sorted.</summary>
    /// <exception cref="ExportException">An index is not a number below <paramref name="numLayers"/>.</exception>
    public static IReadOnlyList<int> ParseLayers(string? option, int numLayers)
    {
        if (option is null || option.Trim() == "all")
        {
            return [.. Enumerable.Range(0, numLayers)];
        }

        var layers = new SortedSet<int>();
        foreach (var part in option.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var layer) || layer >= numLayers)
            {
                throw new ExportException($"--layers {option}: give 'all' or comma-separated layer indices from 0 to {numLayers - 1}.");
            }

            layers.Add(layer);
        }

        return layers.Count > 0 ? [.. layers] : throw new ExportException($"--layers {option}: name at least one layer.");
    }

    /// <summary>
    /// <paramref name="baseWeights"/> with the merged tensors of <paramref name="layers"/> merged with <paramref name="text"/>
    /// by <paramref name="factor"/>; a factor of 0 returns the base weights as they are, so the base hash stays the same.
    /// </summary>
    /// <exception cref="ExportException">The factor is outside 0 to 1, or a text tensor is missing, not float32 or shaped unlike the encoder's.</exception>
    public static TensorMap Merge(TensorMap baseWeights, TensorMap text, double factor, IReadOnlyList<int> layers)
    {
        ArgumentNullException.ThrowIfNull(baseWeights);
        ArgumentNullException.ThrowIfNull(text);
        if (!(factor is >= 0 and <= 1))
        {
            throw new ExportException($"the merge factor {factor.ToString(CultureInfo.InvariantCulture)} must be between 0 and 1.");
        }

        var names = TensorNames(layers).ToHashSet(StringComparer.Ordinal);
        foreach (var name in names)
        {
            Check(baseWeights[name], text);
        }

        if (factor == 0)
        {
            return baseWeights;
        }

        float keep = (float)(1.0 - factor), share = (float)factor;
        return new TensorMap(baseWeights.Select(t => names.Contains(t.Name) ? Merged(t, text[t.Name], keep, share) : t));
    }

    private static void Check(NamedTensor speech, TensorMap text)
    {
        if (!text.TryGetValue(speech.Name, out var tensor))
        {
            throw new ExportException($"the text attention model has no tensor '{speech.Name}'; it must have the encoder's layers.");
        }

        if (!tensor.Shape.SequenceEqual(speech.Shape))
        {
            throw new ExportException(
                $"'{speech.Name}': the text attention model's shape {TensorShape.Format(tensor.Shape.AsSpan())} differs from the encoder's {TensorShape.Format(speech.Shape.AsSpan())}.");
        }

        if (tensor.DType != TensorDType.Float32)
        {
            throw new ExportException($"'{speech.Name}': the text attention model's tensor is {tensor.DType}, not Float32.");
        }
    }

    private static NamedTensor Merged(NamedTensor speech, NamedTensor text, float keep, float share)
    {
        ReadOnlySpan<float> s = speech.AsSpan<float>(), t = text.AsSpan<float>();
        var merged = new float[s.Length];
        for (var i = 0; i < merged.Length; i++)
        {
            merged[i] = (keep * s[i]) + (share * t[i]);
        }

        return NamedTensor.FromFloat32(speech.Name, speech.Shape.AsSpan(), merged);
    }
}
