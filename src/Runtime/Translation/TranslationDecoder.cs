using Microsoft.ML.OnnxRuntime;
using SpeechServe.Runtime.Onnx;

namespace SpeechServe.Runtime.Translation;

/// <summary>
/// The loaded attention decoder of one <see cref="TranslationHead"/>: its two ONNX sessions and the lockstep
/// decoding loop over them (docs/decoding.md, "Translation decoding"). Thread-safe: concurrent calls share the sessions.
/// </summary>
public sealed class TranslationDecoder : IDisposable
{
    private readonly InferenceSession _crossGraph;
    private readonly InferenceSession _stepGraph;
    private readonly RunOptions _runOptions = new();

    /// <summary>Loads <paramref name="head"/>'s graphs and checks them against docs/model.md and its vocabulary.</summary>
    /// <exception cref="InvalidDataException">A graph lacks an input or output, or its shapes do not fit the vocabulary.</exception>
    /// <param name="sessions">Creates the two sessions.</param>
    /// <param name="head">The decoder's graphs and vocabulary.</param>
    /// <param name="executionProvider">The provider to run the graphs on.</param>
    public TranslationDecoder(OnnxSessionFactory sessions, TranslationHead head, OnnxExecutionProvider executionProvider = OnnxExecutionProvider.Cpu)
    {
        ArgumentNullException.ThrowIfNull(sessions);
        ArgumentNullException.ThrowIfNull(head);
        Head = head;
        _crossGraph = sessions.Create(head.CrossGraph, executionProvider, out _);
        try
        {
            _stepGraph = sessions.Create(head.StepGraph, executionProvider, out _);
            try
            {
                RequireNames(_crossGraph, "decoder_cross.onnx", DecoderGraphNames.CrossInputs, DecoderGraphNames.CrossOutputs);
                RequireNames(_stepGraph, "decoder.onnx", DecoderGraphNames.StepInputs, DecoderGraphNames.StepOutputs);
                ModelDimension = Dimension(_crossGraph.InputMetadata[DecoderGraphNames.EncoderOut], 2) is var d and > 0
                    ? d
                    : throw new InvalidDataException($"decoder_cross.onnx must declare the model dimension of its input {DecoderGraphNames.EncoderOut}.");

                // A graph with a symbolic logit width is checked on its first step instead (StepLogits).
                var logitWidth = Dimension(_stepGraph.OutputMetadata[DecoderGraphNames.Logits], 2);
                if (logitWidth >= 0 && logitWidth != head.Vocabulary.Count)
                {
                    throw new InvalidDataException(
                        $"decoder.onnx predicts {logitWidth} tokens but the translation vocabulary has {head.Vocabulary.Count}.");
                }
            }
            catch
            {
                _stepGraph.Dispose();
                throw;
            }
        }
        catch
        {
            _crossGraph.Dispose();
            throw;
        }
    }

    /// <summary>The head whose graphs these are.</summary>
    public TranslationHead Head { get; }

    /// <summary>Width <c>D</c> of the encoder output the decoder reads.</summary>
    public int ModelDimension { get; }

    /// <summary>
    /// Decodes a batch of utterances in lockstep with the key/value cache, each with its own search.
    /// </summary>
    /// <param name="encoderOutputs">Each utterance's <c>encoder_out</c>, <c>[frames, D]</c> row-major.</param>
    /// <param name="decoding">Each utterance's search settings.</param>
    /// <exception cref="ArgumentException">The lists differ in length, or an option is invalid.</exception>
    public IReadOnlyList<TranslationResult> Decode(IReadOnlyList<float[]> encoderOutputs, IReadOnlyList<TranslationDecodingOptions> decoding)
    {
        ArgumentNullException.ThrowIfNull(decoding);
        foreach (var options in decoding)
        {
            options.Validate();
        }

        return Decode(encoderOutputs, [.. decoding.Select(o => TokenSearch.Create(o, Head.MaxPositions))], useCache: true);
    }

    /// <summary>
    /// Greedy decoding without the key/value cache: every step re-runs <c>decoder.onnx</c> on the whole prefix
    /// (<c>P = 0</c>, <c>S</c> = prefix length). Gives the same tokens as <see cref="Decode(IReadOnlyList{float[]}, IReadOnlyList{TranslationDecodingOptions})"/>
    /// with greedy options at a cost that grows with the prefix; it exists to measure and check the cached path.
    /// </summary>
    /// <param name="encoderOutputs">Each utterance's <c>encoder_out</c>, <c>[frames, D]</c> row-major.</param>
    /// <param name="maxTokens">The most tokens per utterance, capped at <see cref="TranslationHead.MaxPositions"/> - 1.</param>
    public IReadOnlyList<TranslationResult> DecodeGreedyWithoutCache(IReadOnlyList<float[]> encoderOutputs, int maxTokens)
    {
        ArgumentNullException.ThrowIfNull(encoderOutputs);
        var options = new TranslationDecodingOptions { MaxTokens = maxTokens };
        options.Validate();
        return Decode(encoderOutputs, [.. encoderOutputs.Select(_ => TokenSearch.Create(options, Head.MaxPositions))], useCache: false);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _stepGraph.Dispose();
        _crossGraph.Dispose();
        _runOptions.Dispose();
    }

    /// <summary>Runs <paramref name="searches"/>, one per utterance, to the end.</summary>
    internal IReadOnlyList<TranslationResult> Decode(IReadOnlyList<float[]> encoderOutputs, IReadOnlyList<TokenSearch> searches, bool useCache)
    {
        ArgumentNullException.ThrowIfNull(encoderOutputs);
        if (encoderOutputs.Count != searches.Count)
        {
            throw new ArgumentException($"{encoderOutputs.Count} utterances but {searches.Count} searches.", nameof(searches));
        }

        if (encoderOutputs.Count == 0)
        {
            return [];
        }

        var d = ModelDimension;
        if (encoderOutputs.FirstOrDefault(e => e.Length % d != 0) is { } ragged)
        {
            throw new ArgumentException($"An encoder output holds {ragged.Length} values, not a multiple of D = {d}.", nameof(encoderOutputs));
        }

        var rowUtterances = searches.SelectMany((search, u) => Enumerable.Repeat(u, search.Rows)).ToArray();
        using var cross = CrossAttentionInputs.Compute(_crossGraph, _runOptions, encoderOutputs, d, rowUtterances);
        var vocabularySize = Head.Vocabulary.Count;
        if (useCache)
        {
            using var cached = new CachedDecoderStepper(_stepGraph, _runOptions, cross, vocabularySize);
            LockstepDecoding.Run(searches, cached, vocabularySize);
        }
        else
        {
            LockstepDecoding.Run(searches, new PrefixDecoderStepper(_stepGraph, _runOptions, cross, vocabularySize), vocabularySize);
        }

        return [.. searches.Select(s => new TranslationResult(Head.Vocabulary.Decode(s.Tokens), s.Tokens))];
    }

    private static void RequireNames(InferenceSession session, string graph, string[] inputs, string[] outputs)
    {
        var missing = inputs.Except(session.InputNames).Concat(outputs.Except(session.OutputNames)).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidDataException($"{graph} lacks {string.Join(", ", missing)} (docs/model.md, \"Two graphs\").");
        }
    }

    // ONNX Runtime reports a symbolic dimension as -1.
    private static int Dimension(NodeMetadata value, int axis) => value.IsTensor && value.Dimensions.Length > axis ? value.Dimensions[axis] : -1;
}
