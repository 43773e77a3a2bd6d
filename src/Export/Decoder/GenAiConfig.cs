using System.Text.Json;
using System.Text.Json.Nodes;
using SpeechServe.Runtime.Translation;

namespace SpeechServe.Export.Decoder;

/// <summary>
/// <c>genai_config.json</c> for a translation decoder exported by <see cref="GenAiDecoderGraph"/>: ONNX Runtime
/// GenAI's decoder-only model type <c>llama</c> (the plain decoder without position ids or attention mask inputs;
/// the graph computes its positions from the cache length), our special tokens, and the search settings.
/// </summary>
public static class GenAiConfig
{
    /// <summary>The file name GenAI reads from a model folder.</summary>
    public const string FileName = "genai_config.json";

    /// <summary>The GenAI model type the decoder is run as.</summary>
    public const string ModelType = "llama";

    /// <summary>Writes the configuration.</summary>
    /// <param name="decoderFile">The GenAI graph's file name, relative to the configuration.</param>
    /// <param name="shape">The graph's cache geometry.</param>
    /// <param name="vocabularySize">Logit width.</param>
    /// <param name="maxPositions">The longest token sequence (<c>&lt;s&gt;</c> included), GenAI's <c>max_length</c>.</param>
    /// <param name="numBeams">1 for greedy decoding, more for beam search.</param>
    /// <param name="lengthPenalty">Beam search length penalty.</param>
    /// <param name="intraOpThreads">ONNX Runtime intra-op threads; 0 leaves ONNX Runtime's default.</param>
    /// <param name="earlyStopping">GenAI's beam search stops an utterance once <paramref name="numBeams"/> hypotheses have finished.</param>
    public static string Create(
        string decoderFile, GenAiDecoderShape shape, int vocabularySize, int maxPositions, int numBeams = 1, double lengthPenalty = 1.0, int intraOpThreads = 0, bool earlyStopping = true)
    {
        ArgumentException.ThrowIfNullOrEmpty(decoderFile);
        ArgumentNullException.ThrowIfNull(shape);
        var sessionOptions = new JsonObject { ["log_id"] = "speechserve-translation-decoder", ["provider_options"] = new JsonArray() };
        if (intraOpThreads > 0)
        {
            sessionOptions["intra_op_num_threads"] = intraOpThreads;
        }

        var config = new JsonObject
        {
            ["model"] = new JsonObject
            {
                ["type"] = ModelType,
                ["bos_token_id"] = TranslationVocabulary.Bos,
                ["eos_token_id"] = TranslationVocabulary.Eos,
                ["pad_token_id"] = TranslationVocabulary.Pad,
                ["context_length"] = maxPositions,
                ["vocab_size"] = vocabularySize,
                ["decoder"] = new JsonObject
                {
                    ["filename"] = decoderFile,
                    ["session_options"] = sessionOptions,
                    ["head_size"] = shape.HeadDim,
                    ["hidden_size"] = shape.Heads * shape.HeadDim,
                    ["num_attention_heads"] = shape.Heads,
                    ["num_key_value_heads"] = shape.Heads,
                    ["num_hidden_layers"] = shape.Layers,
                    ["inputs"] = new JsonObject
                    {
                        ["input_ids"] = GenAiDecoderGraph.InputIds,
                        ["past_key_names"] = GenAiDecoderGraph.PastKeyNames,
                        ["past_value_names"] = GenAiDecoderGraph.PastValueNames,
                    },
                    ["outputs"] = new JsonObject
                    {
                        ["logits"] = GenAiDecoderGraph.Logits,
                        ["present_key_names"] = GenAiDecoderGraph.PresentKeyNames,
                        ["present_value_names"] = GenAiDecoderGraph.PresentValueNames,
                    },
                },
            },
            ["search"] = new JsonObject
            {
                ["max_length"] = maxPositions,
                ["min_length"] = 0,
                ["num_beams"] = numBeams,
                ["num_return_sequences"] = 1,
                ["length_penalty"] = lengthPenalty,
                ["early_stopping"] = earlyStopping,
                ["do_sample"] = false,
                ["past_present_share_buffer"] = false,
            },
        };
        return config.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }
}
