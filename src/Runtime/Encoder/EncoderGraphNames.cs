namespace SpeechServe.Runtime.Encoder;

/// <summary>Input and output names of <c>encoder.onnx</c> (docs/model.md, "ONNX graph"), in graph order.</summary>
public static class EncoderGraphNames
{
    /// <summary><c>[batch, frames, n_mels]</c> float32 log-mel features.</summary>
    public const string Features = "features";

    /// <summary><c>[batch]</c> int64 valid feature frames.</summary>
    public const string FeatureLengths = "feature_lengths";

    /// <summary><c>[N, batch, L, d]</c> float32 attention cache.</summary>
    public const string AttentionCache = "attn_cache";

    /// <summary><c>[batch]</c> int64 valid cache frames.</summary>
    public const string CacheLength = "cache_len";

    /// <summary><c>[N, batch, d, k-1]</c> float32 convolution cache.</summary>
    public const string ConvolutionCache = "conv_cache";

    /// <summary><c>[batch, N, d, r]</c> adapter down-projections.</summary>
    public const string AdapterDown = "adapter_down";

    /// <summary><c>[batch, N, r]</c>.</summary>
    public const string AdapterDownBias = "adapter_down_bias";

    /// <summary><c>[batch, N, r, d]</c> adapter up-projections.</summary>
    public const string AdapterUp = "adapter_up";

    /// <summary><c>[batch, N, d]</c>.</summary>
    public const string AdapterUpBias = "adapter_up_bias";

    /// <summary><c>[batch, d, V]</c> CTC head weights.</summary>
    public const string HeadWeight = "head_weight";

    /// <summary><c>[batch, V]</c>.</summary>
    public const string HeadBias = "head_bias";

    /// <summary><c>[batch, frames/4, V]</c> CTC log-probabilities.</summary>
    public const string LogProbs = "log_probs";

    /// <summary><c>[batch, frames/4, d]</c> encoder output after the adapters.</summary>
    public const string EncoderOut = "encoder_out";

    /// <summary><c>[batch]</c> int64 valid encoder frames.</summary>
    public const string OutputLengths = "output_lengths";

    /// <summary>The updated attention cache.</summary>
    public const string AttentionCacheOut = "attn_cache_out";

    /// <summary>The updated valid cache frames.</summary>
    public const string CacheLengthOut = "cache_len_out";

    /// <summary>The updated convolution cache.</summary>
    public const string ConvolutionCacheOut = "conv_cache_out";

    /// <summary>Symbolic batch dimension.</summary>
    public const string Batch = "batch";

    /// <summary>Symbolic feature-frame dimension of the input.</summary>
    public const string Frames = "frames";

    /// <summary>Symbolic encoder-frame dimension of the outputs (<c>frames / 4</c>).</summary>
    public const string EncoderFrames = "encoder_frames";

    /// <summary>All inputs, in graph order.</summary>
    public static IReadOnlyList<string> Inputs { get; } =
    [
        Features, FeatureLengths, AttentionCache, CacheLength, ConvolutionCache,
        AdapterDown, AdapterDownBias, AdapterUp, AdapterUpBias, HeadWeight, HeadBias,
    ];

    /// <summary>All outputs, in graph order.</summary>
    public static IReadOnlyList<string> Outputs { get; } =
        [LogProbs, EncoderOut, OutputLengths, AttentionCacheOut, CacheLengthOut, ConvolutionCacheOut];
}
