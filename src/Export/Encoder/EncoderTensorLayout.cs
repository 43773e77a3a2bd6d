using SpeechServe.Runtime.Models;

namespace SpeechServe.Export.Encoder;

/// <summary>One tensor of the checkpoint layout: its state-dict name and shape (all float32).</summary>
/// <param name="Name">State-dict name, e.g. <c>layers.0.attn.q.weight</c>.</param>
/// <param name="Shape">Dimensions, outermost first.</param>
public sealed record EncoderTensor(string Name, long[] Shape);

/// <summary>
/// The checkpoint layout of docs/model.md ("Checkpoint layout") for an architecture: the base model's
/// tensors and those of one domain adapter, in state-dict order.
/// </summary>
public static class EncoderTensorLayout
{
    /// <summary>Prefix of every tensor of the domain adapter <paramref name="domain"/>.</summary>
    public static string AdapterPrefix(string domain) => $"adapters.{domain}.";

    /// <summary>The base model's tensors (everything but <c>adapters.*</c>).</summary>
    public static IEnumerable<EncoderTensor> BaseTensors(EncoderArchitecture a)
    {
        ArgumentNullException.ThrowIfNull(a);
        long d = a.DModel, ff = a.FfDim;
        yield return new("frontend_norm.mean", [a.NMels]);
        yield return new("frontend_norm.std", [a.NMels]);
        yield return new("subsample.conv1.weight", [d, a.NMels, 2]);
        yield return new("subsample.conv1.bias", [d]);
        yield return new("subsample.conv2.weight", [d, d, 2]);
        yield return new("subsample.conv2.bias", [d]);
        for (var i = 0; i < a.NumLayers; i++)
        {
            var p = $"layers.{i}.";
            foreach (var t in FeedForward(p + "ff1.", d, ff))
            {
                yield return t;
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
            yield return new(p + "conv.depthwise.weight", [d, 1, a.ConvKernel]);
            yield return new(p + "conv.depthwise.bias", [d]);
            yield return new(p + "conv.depth_norm.weight", [d]);
            yield return new(p + "conv.depth_norm.bias", [d]);
            yield return new(p + "conv.pointwise2.weight", [d, d, 1]);
            yield return new(p + "conv.pointwise2.bias", [d]);
            foreach (var t in FeedForward(p + "ff2.", d, ff))
            {
                yield return t;
            }

            yield return new(p + "final_norm.weight", [d]);
            yield return new(p + "final_norm.bias", [d]);
        }

        foreach (var t in CtcHead("ctc.", a))
        {
            yield return t;
        }
    }

    /// <summary>The tensors of domain adapter <paramref name="domain"/>: per-layer bottlenecks and its CTC head.</summary>
    public static IEnumerable<EncoderTensor> AdapterTensors(EncoderArchitecture a, string domain)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentException.ThrowIfNullOrEmpty(domain);
        var prefix = AdapterPrefix(domain);
        long d = a.DModel, r = a.AdapterDim;
        for (var i = 0; i < a.NumLayers; i++)
        {
            var p = $"{prefix}layers.{i}.";
            yield return new(p + "down.weight", [r, d]);
            yield return new(p + "down.bias", [r]);
            yield return new(p + "up.weight", [d, r]);
            yield return new(p + "up.bias", [d]);
        }

        foreach (var t in CtcHead(prefix + "ctc.", a))
        {
            yield return t;
        }
    }

    /// <summary>
    /// The domain names of the <c>adapters.{domain}.*</c> tensors among <paramref name="names"/>,
    /// in order of first appearance.
    /// </summary>
    public static IReadOnlyList<string> FindDomains(IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var domains = new List<string>();
        foreach (var name in names)
        {
            if (!name.StartsWith("adapters.", StringComparison.Ordinal))
            {
                continue;
            }

            var end = name.IndexOf('.', "adapters.".Length);
            var domain = end < 0 ? name["adapters.".Length..] : name["adapters.".Length..end];
            if (!domains.Contains(domain))
            {
                domains.Add(domain);
            }
        }

        return domains;
    }

    private static IEnumerable<EncoderTensor> FeedForward(string p, long d, long ff) =>
    [
        new(p + "norm.weight", [d]),
        new(p + "norm.bias", [d]),
        new(p + "linear1.weight", [ff, d]),
        new(p + "linear1.bias", [ff]),
        new(p + "linear2.weight", [d, ff]),
        new(p + "linear2.bias", [d]),
    ];

    private static IEnumerable<EncoderTensor> CtcHead(string p, EncoderArchitecture a) =>
    [
        new(p + "weight", [a.VocabSize, a.DModel]),
        new(p + "bias", [a.VocabSize]),
    ];
}
