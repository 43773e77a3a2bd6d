using SpeechServe.Export.Checkpoints;

namespace SpeechServe.Export.Decoder;

/// <summary>The tensors of <c>decoder.safetensors</c> (docs/model.md, "Vocabulary and checkpoint"): <c>TranslationDecoder.state_dict()</c>.</summary>
public static class DecoderCheckpointSchema
{
    /// <summary>Every tensor a decoder of <paramref name="architecture"/> holds, float32.</summary>
    public static CheckpointSchema For(DecoderArchitecture architecture)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        long v = architecture.VocabSize, d = architecture.DModel, ff = architecture.FfDim;
        var specs = new List<TensorSpec>
        {
            new("embed.weight", [v, d]),
            new("positions.weight", [architecture.MaxPositions, d]),
        };
        for (var i = 0; i < architecture.NumLayers; i++)
        {
            var p = $"layers.{i}.";
            foreach (var norm in (string[])["self_norm", "cross_norm", "ff_norm"])
            {
                specs.Add(new(p + norm + ".weight", [d]));
                specs.Add(new(p + norm + ".bias", [d]));
            }

            foreach (var attention in (string[])["self_attn", "cross_attn"])
            {
                foreach (var projection in (string[])["q", "k", "v", "out"])
                {
                    specs.Add(new($"{p}{attention}.{projection}.weight", [d, d]));
                    specs.Add(new($"{p}{attention}.{projection}.bias", [d]));
                }
            }

            specs.Add(new(p + "linear1.weight", [ff, d]));
            specs.Add(new(p + "linear1.bias", [ff]));
            specs.Add(new(p + "linear2.weight", [d, ff]));
            specs.Add(new(p + "linear2.bias", [d]));
        }

        specs.Add(new("final_norm.weight", [d]));
        specs.Add(new("final_norm.bias", [d]));
        specs.Add(new("output.weight", [v, d]));
        specs.Add(new("output.bias", [v]));
        return new CheckpointSchema(specs);
    }
}
