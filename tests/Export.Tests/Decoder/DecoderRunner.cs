using Microsoft.ML.OnnxRuntime;
using SpeechServe.Export.Decoder;
using SpeechServe.Export.Tests.Encoder;
using SpeechServe.Runtime.Tensors;
using SpeechServe.Runtime.Translation;
using N = SpeechServe.Runtime.Translation.DecoderGraphNames;

namespace SpeechServe.Export.Tests.Decoder;

/// <summary>The outputs of one <c>decoder.onnx</c> call, copied out of ONNX Runtime's buffers.</summary>
public sealed record DecoderStepOutputs(NamedTensor Logits, NamedTensor PresentKey, NamedTensor PresentValue);

/// <summary>Runs the two exported decoder graphs through ONNX Runtime.</summary>
public sealed class DecoderRunner : IDisposable
{
    private readonly InferenceSession _cross;
    private readonly InferenceSession _step;

    /// <summary>Opens a session on each graph.</summary>
    public DecoderRunner(string crossGraphPath, string stepGraphPath)
    {
        _cross = new InferenceSession(crossGraphPath);
        _step = new InferenceSession(stepGraphPath);
    }

    /// <summary><c>decoder_cross.onnx</c>: the cross-attention keys and values of <paramref name="encoderOut"/>.</summary>
    public (NamedTensor Key, NamedTensor Value) Cross(NamedTensor encoderOut)
    {
        var results = Run(_cross, [N.EncoderOut], [encoderOut], [N.CrossKey, N.CrossValue]);
        return (results[0], results[1]);
    }

    /// <summary><c>decoder.onnx</c>: one step over <paramref name="tokens"/> <c>[B, S]</c> on the cache <paramref name="past"/>.</summary>
    public DecoderStepOutputs Step(NamedTensor tokens, (NamedTensor Key, NamedTensor Value) past, (NamedTensor Key, NamedTensor Value) cross, NamedTensor encoderLengths)
    {
        var results = Run(
            _step,
            [N.Tokens, N.PastKey, N.PastValue, N.CrossKey, N.CrossValue, N.EncoderLengths],
            [tokens, past.Key, past.Value, cross.Key, cross.Value, encoderLengths],
            [N.Logits, N.PresentKey, N.PresentValue]);
        return new DecoderStepOutputs(results[0], results[1], results[2]);
    }

    /// <summary>
    /// Greedy decoding through the cached graphs, the reference's <c>TranslationDecoder.greedy</c>: the batch
    /// steps in lockstep from <c>&lt;s&gt;</c> until every element has produced <c>&lt;/s&gt;</c> or
    /// <paramref name="maxTokens"/> steps; each element's ids up to, without, <c>&lt;/s&gt;</c>.
    /// </summary>
    public List<List<long>> Greedy(DecoderArchitecture architecture, NamedTensor encoderOut, NamedTensor encoderLengths, int maxTokens)
    {
        var batch = (int)encoderOut.Shape[0];
        var cross = Cross(encoderOut);
        var past = (EmptyCache(architecture, batch), EmptyCache(architecture, batch));
        var tokens = Enumerable.Repeat((long)TranslationVocabulary.Bos, batch).ToArray();
        var outputs = Enumerable.Range(0, batch).Select(_ => new List<long>()).ToList();
        var finished = new bool[batch];
        for (var step = 0; step < maxTokens && !finished.All(f => f); step++)
        {
            var result = Step(NamedTensor.FromValues<long>("tokens", TensorDType.Int64, [batch, 1], tokens), past, cross, encoderLengths);
            past = (result.PresentKey, result.PresentValue);
            var logits = result.Logits.AsSpan<float>();
            for (var b = 0; b < batch; b++)
            {
                tokens[b] = ArgMax(logits.Slice(b * architecture.VocabSize, architecture.VocabSize));
                finished[b] |= tokens[b] == TranslationVocabulary.Eos;
                if (!finished[b])
                {
                    outputs[b].Add(tokens[b]);
                }
            }
        }

        return outputs;
    }

    /// <summary>The <c>past_key</c> (or <c>past_value</c>) before the first step: <c>[Ld, B, H, 0, dh]</c>.</summary>
    public static NamedTensor EmptyCache(DecoderArchitecture architecture, int batch) =>
        NamedTensor.FromFloat32("past", [architecture.NumLayers, batch, architecture.NumHeads, 0, architecture.HeadDim], []);

    /// <inheritdoc/>
    public void Dispose()
    {
        _cross.Dispose();
        _step.Dispose();
    }

    private static int ArgMax(ReadOnlySpan<float> values)
    {
        var best = 0;
        for (var i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best])
            {
                best = i;
            }
        }

        return best;
    }

    private static NamedTensor[] Run(InferenceSession session, IReadOnlyList<string> inputNames, NamedTensor[] inputs, IReadOnlyList<string> outputNames)
    {
        var tensors = inputs.Select(EncoderRunner.ToOrt).ToArray();
        try
        {
            using var runOptions = new RunOptions();
            using var results = session.Run(runOptions, [.. inputNames], tensors, [.. outputNames]);
            return [.. outputNames.Select((name, i) => NamedTensor.FromFloat32(
                name, results[i].GetTensorTypeAndShape().Shape, results[i].GetTensorDataAsSpan<float>().ToArray()))];
        }
        finally
        {
            foreach (var tensor in tensors)
            {
                tensor.Dispose();
            }
        }
    }
}
