using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntimeGenAI;
using SpeechServe.Export.Decoder;
using SpeechServe.Export.Onnx.Proto;
using SpeechServe.Runtime.Onnx;
using SpeechServe.Runtime.Translation;
using N = SpeechServe.Runtime.Translation.DecoderGraphNames;

namespace SpeechServe.Bench.Translation;

/// <summary>
/// A translation head decoded by ONNX Runtime GenAI's generator: the step graph exported as GenAI's decoder-only model
/// (<see cref="GenAiDecoderGraph"/>, <see cref="GenAiConfig"/>) into a folder, and <c>decoder_cross.onnx</c> run by the
/// ONNX Runtime's managed API, whose keys and values (replicated to each utterance's beams) and encoder lengths are fed to
/// every step with <c>Generator.SetModelInput</c>.
/// </summary>
internal sealed class GenAiTranslationDecoder : IDisposable
{
    private readonly Model _model;
    private readonly InferenceSession _crossGraph;
    private readonly RunOptions _runOptions = new();
    private readonly TranslationHead _head;
    private readonly int _modelDimension;

    public GenAiTranslationDecoder(
        OnnxSessionFactory sessions, TranslationHead head, string folder, int numBeams, bool earlyStopping, int threads)
    {
        _head = head;
        NumBeams = numBeams;
        var (graph, shape) = GenAiDecoderGraph.FromStepGraph(ModelProto.Parser.ParseFrom(head.StepGraph.Span));
        Directory.CreateDirectory(folder);
        const string decoderFile = "decoder_genai.onnx";
        File.WriteAllBytes(Path.Combine(folder, decoderFile), Google.Protobuf.MessageExtensions.ToByteArray(graph));
        File.WriteAllText(
            Path.Combine(folder, GenAiConfig.FileName),
            GenAiConfig.Create(decoderFile, shape, head.Vocabulary.Count, head.MaxPositions, numBeams, lengthPenalty: 1.0, threads, earlyStopping));
        _model = new Model(folder);
        _crossGraph = sessions.Create(head.CrossGraph, OnnxExecutionProvider.Cpu, out _);
        _modelDimension = _crossGraph.InputMetadata[N.EncoderOut].Dimensions[2];
    }

    public int NumBeams { get; }

    public string ModelType => _model.GetModelType();

    /// <summary>Decodes the utterances as one GenAI batch; each result is the generated ids without <c>&lt;s&gt;</c> and <c>&lt;/s&gt;</c>.</summary>
    public IReadOnlyList<TranslationResult> Decode(IReadOnlyList<float[]> encoderOutputs)
    {
        var count = encoderOutputs.Count;
        var rows = count * NumBeams;
        var frames = encoderOutputs.Select(e => e.Length / _modelDimension).ToArray();
        var longest = Math.Max(1, frames.Max());
        var padded = new float[count * longest * _modelDimension];
        for (var u = 0; u < count; u++)
        {
            encoderOutputs[u].CopyTo(padded.AsSpan(u * longest * _modelDimension));
        }

        float[] key, value;
        long[] shape;
        using (var input = OrtValue.CreateTensorValueFromMemory(padded, [count, longest, _modelDimension]))
        using (var cross = _crossGraph.Run(_runOptions, [N.EncoderOut], [input], [N.CrossKey, N.CrossValue]))
        {
            shape = cross[0].GetTensorTypeAndShape().Shape; // [L, count, H, T, dh]
            key = ReplicateRows(cross[0].GetTensorDataAsSpan<float>(), shape, NumBeams);
            value = ReplicateRows(cross[1].GetTensorDataAsSpan<float>(), shape, NumBeams);
            shape[1] = rows;
        }

        var lengths = Enumerable.Range(0, rows).Select(r => (long)frames[r / NumBeams]).ToArray();
        var pins = new[] { GCHandle.Alloc(key, GCHandleType.Pinned), GCHandle.Alloc(value, GCHandleType.Pinned), GCHandle.Alloc(lengths, GCHandleType.Pinned) };
        try
        {
            using var keyTensor = new Tensor(pins[0].AddrOfPinnedObject(), shape, ElementType.float32);
            using var valueTensor = new Tensor(pins[1].AddrOfPinnedObject(), shape, ElementType.float32);
            using var lengthTensor = new Tensor(pins[2].AddrOfPinnedObject(), [rows], ElementType.int64);
            using var parameters = new GeneratorParams(_model);
            parameters.SetSearchOption("batch_size", count);
            using var generator = new Generator(_model, parameters);
            generator.SetModelInput(N.CrossKey, keyTensor);
            generator.SetModelInput(N.CrossValue, valueTensor);
            generator.SetModelInput(N.EncoderLengths, lengthTensor);
            generator.AppendTokens([.. Enumerable.Repeat(TranslationVocabulary.Bos, count)]);
            while (!generator.IsDone())
            {
                generator.GenerateNextToken();
            }

            var results = new TranslationResult[count];
            for (var u = 0; u < count; u++)
            {
                var ids = Generated(generator.GetSequence((ulong)u));
                results[u] = new TranslationResult(_head.Vocabulary.Decode(ids), ids);
            }

            return results;
        }
        finally
        {
            foreach (var pin in pins)
            {
                pin.Free();
            }
        }
    }

    public void Dispose()
    {
        _crossGraph.Dispose();
        _runOptions.Dispose();
        _model.Dispose();
    }

    // The sequence holds the prompt <s>, the generated ids, then </s> (and padding after it in a batch).
    private static int[] Generated(ReadOnlySpan<int> sequence)
    {
        var ids = new List<int>();
        foreach (var id in sequence[1..])
        {
            if (id == TranslationVocabulary.Eos)
            {
                break;
            }

            ids.Add(id);
        }

        return [.. ids];
    }

    private static float[] ReplicateRows(ReadOnlySpan<float> data, long[] shape, int copies)
    {
        var (layers, count, rowSize) = ((int)shape[0], (int)shape[1], (int)(shape[2] * shape[3] * shape[4]));
        var result = new float[layers * count * copies * rowSize];
        for (var l = 0; l < layers; l++)
        {
            for (var u = 0; u < count; u++)
            {
                var source = data.Slice(((l * count) + u) * rowSize, rowSize);
                for (var c = 0; c < copies; c++)
                {
                    source.CopyTo(result.AsSpan((((l * count) + u) * copies + c) * rowSize));
                }
            }
        }

        return result;
    }
}
