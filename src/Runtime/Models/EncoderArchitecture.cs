namespace SpeechServe.Runtime.Models;

/// <summary>
/// Hyper-parameters of the streaming Conformer encoder (docs/model.md). The training config, the
/// exporter and the runtime all read this shape, with snake_case keys in JSON.
/// </summary>
public sealed partial record EncoderArchitecture
{
    /// <summary>Feature dimension (log-mel bins).</summary>
    public int NMels { get; init; } = 80;

    /// <summary>Model width d.</summary>
    public int DModel { get; init; } = 192;

    /// <summary>Number of Conformer blocks N.</summary>
    public int NumLayers { get; init; } = 6;

    /// <summary>Attention heads.</summary>
    public int NumHeads { get; init; } = 4;

    /// <summary>Feed-forward inner width.</summary>
    public int FfDim { get; init; } = 768;

    /// <summary>Causal depthwise convolution kernel k.</summary>
    public int ConvKernel { get; init; } = 15;

    /// <summary>Attention chunk C, in encoder frames.</summary>
    public int ChunkFrames { get; init; } = 8;

    /// <summary>Attention left context L, in encoder frames.</summary>
    public int LeftContextFrames { get; init; } = 32;

    /// <summary>Adapter bottleneck r.</summary>
    public int AdapterDim { get; init; } = 16;

    /// <summary>CTC vocabulary size V, blank included.</summary>
    public int VocabSize { get; init; } = 29;

    /// <summary>Feature frames per encoder frame: the subsampling factor, fixed at 4 by the design.</summary>
    public int Subsampling { get; init; } = 4;

    /// <summary>Feature frames per attention chunk.</summary>
    public int ChunkFeatureFrames => ChunkFrames * Subsampling;

    /// <summary>Checks that the values describe a buildable encoder and says which one does not.</summary>
    public void Validate()
    {
        RequirePositive(NMels, "n_mels");
        RequirePositive(DModel, "d_model");
        RequirePositive(NumLayers, "num_layers");
        RequirePositive(NumHeads, "num_heads");
        RequirePositive(FfDim, "ff_dim");
        RequirePositive(ConvKernel, "conv_kernel");
        RequirePositive(ChunkFrames, "chunk_frames");
        RequirePositive(AdapterDim, "adapter_dim");
        if (VocabSize < 2)
        {
            throw new InvalidDataException($"vocab_size must be at least 2 (the blank and one token), found {VocabSize}.");
        }

        if (LeftContextFrames < 0)
        {
            throw new InvalidDataException($"left_context_frames must not be negative, found {LeftContextFrames}.");
        }

        if (DModel % NumHeads != 0)
        {
            throw new InvalidDataException($"d_model ({DModel}) must be a multiple of num_heads ({NumHeads}).");
        }

        if (Subsampling != 4)
        {
            throw new InvalidDataException($"subsampling must be 4, found {Subsampling}.");
        }
    }

    private static void RequirePositive(int value, string key)
    {
        if (value < 1)
        {
            throw new InvalidDataException($"{key} must be positive, found {value}.");
        }
    }
}
