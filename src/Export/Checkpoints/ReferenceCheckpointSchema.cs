using System.Text.RegularExpressions;
using SpeechServe.Runtime.Models;

namespace SpeechServe.Export.Checkpoints;

/// <summary>
/// The checkpoint layout of docs/model.md ("Checkpoint layout") for a given
/// <see cref="EncoderArchitecture"/>: every tensor float32, PyTorch <c>Linear</c> weights as
/// <c>[out, in]</c>, <c>Conv1d</c> weights as <c>[out, in / groups, kernel]</c>.
/// </summary>
public static partial class ReferenceCheckpointSchema
{
    /// <summary>
    /// The base encoder's tensors, plus one adapter (per-layer bottlenecks and a CTC head) for
    /// each name in <paramref name="adapterDomains"/>.
    /// </summary>
    public static CheckpointSchema For(EncoderArchitecture architecture, IEnumerable<string>? adapterDomains = null)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        architecture.Validated();
        var specs = BaseSpecs(architecture).ToList();
        foreach (var domain in adapterDomains ?? [])
        {
            specs.AddRange(AdapterSpecs(architecture, domain));
        }

        return new CheckpointSchema(specs);
    }

    /// <summary>An adapter checkpoint: only the <c>adapters.{domain}.*</c> tensors.</summary>
    public static CheckpointSchema ForAdapter(EncoderArchitecture architecture, string domain)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        architecture.Validated();
        return new CheckpointSchema(AdapterSpecs(architecture, domain));
    }

    /// <summary>The distinct <c>{domain}</c> values of <c>adapters.{domain}.*</c> names, in first-seen order.</summary>
    public static IReadOnlyList<string> AdapterDomainsIn(IEnumerable<string> tensorNames)
    {
        ArgumentNullException.ThrowIfNull(tensorNames);
        var domains = new List<string>();
        foreach (var name in tensorNames)
        {
            var match = AdapterPrefix().Match(name);
            if (match.Success && !domains.Contains(match.Groups[1].Value, StringComparer.Ordinal))
            {
                domains.Add(match.Groups[1].Value);
            }
        }

        return domains;
    }

    private static IEnumerable<TensorSpec> BaseSpecs(EncoderArchitecture a)
    {
        long d = a.DModel, ff = a.FfDim, k = a.ConvKernel, mels = a.NMels, v = a.VocabSize;
        yield return new("frontend_norm.mean", [mels]);
        yield return new("frontend_norm.std", [mels]);
        yield return new("subsample.conv1.weight", [d, mels, 2]);
        yield return new("subsample.conv1.bias", [d]);
        yield return new("subsample.conv2.weight", [d, d, 2]);
        yield return new("subsample.conv2.bias", [d]);
        for (var i = 0; i < a.NumLayers; i++)
        {
            var p = $"layers.{i}.";
            foreach (var spec in FeedForward(p + "ff1.", d, ff))
            {
                yield return spec;
            }

            yield return new(p + "attn_norm.weight", [d]);
            yield return new(p + "attn_norm.bias", [d]);
            foreach (var projection in new[] { "q", "k", "v", "out" })
            {
                yield return new($"{p}attn.{projection}.weight", [d, d]);
                yield return new($"{p}attn.{projection}.bias", [d]);
            }

            yield return new(p + "conv.norm.weight", [d]);
            yield return new(p + "conv.norm.bias", [d]);
            yield return new(p + "conv.pointwise1.weight", [2 * d, d, 1]);
            yield return new(p + "conv.pointwise1.bias", [2 * d]);
            yield return new(p + "conv.depthwise.weight", [d, 1, k]);
            yield return new(p + "conv.depthwise.bias", [d]);
            yield return new(p + "conv.depth_norm.weight", [d]);
            yield return new(p + "conv.depth_norm.bias", [d]);
            yield return new(p + "conv.pointwise2.weight", [d, d, 1]);
            yield return new(p + "conv.pointwise2.bias", [d]);
            foreach (var spec in FeedForward(p + "ff2.", d, ff))
            {
                yield return spec;
            }

            yield return new(p + "final_norm.weight", [d]);
            yield return new(p + "final_norm.bias", [d]);
        }

        yield return new("ctc.weight", [v, d]);
        yield return new("ctc.bias", [v]);
    }

    private static IEnumerable<TensorSpec> FeedForward(string prefix, long d, long ff) =>
    [
        new(prefix + "norm.weight", [d]),
        new(prefix + "norm.bias", [d]),
        new(prefix + "linear1.weight", [ff, d]),
        new(prefix + "linear1.bias", [ff]),
        new(prefix + "linear2.weight", [d, ff]),
        new(prefix + "linear2.bias", [d]),
    ];

    private static List<TensorSpec> AdapterSpecs(EncoderArchitecture a, string domain)
    {
        if (string.IsNullOrEmpty(domain) || domain.Contains('.', StringComparison.Ordinal))
        {
            throw new ArgumentException($"Adapter domain '{domain}' must be non-empty and contain no '.'.", nameof(domain));
        }

        long d = a.DModel, r = a.AdapterDim, v = a.VocabSize;
        var prefix = $"adapters.{domain}.";
        var specs = new List<TensorSpec>();
        for (var i = 0; i < a.NumLayers; i++)
        {
            var p = $"{prefix}layers.{i}.";
            specs.Add(new(p + "down.weight", [r, d]));
            specs.Add(new(p + "down.bias", [r]));
            specs.Add(new(p + "up.weight", [d, r]));
            specs.Add(new(p + "up.bias", [d]));
        }

        specs.Add(new(prefix + "ctc.weight", [v, d]));
        specs.Add(new(prefix + "ctc.bias", [v]));
        return specs;
    }

    [GeneratedRegex(@"^adapters\.([^.]+)\.", RegexOptions.CultureInvariant)]
    private static partial Regex AdapterPrefix();
}
