using SpeechServe.Runtime.Models;
using SpeechServe.Runtime.Translation;

namespace SpeechServe.Runtime.Encoder;

/// <summary>
/// One domain's adapter and CTC head in the layout of the encoder graph's inputs (docs/model.md):
/// <c>Down [N, d, r]</c>, <c>DownBias [N, r]</c>, <c>Up [N, r, d]</c>, <c>UpBias [N, d]</c>,
/// <c>Head [d, V]</c>, <c>HeadBias [V]</c>, row-major, and for a translation adapter its attention decoder.
/// Immutable once built; shared by every request that uses the domain.
/// </summary>
public sealed class AdapterWeights
{
    private AdapterWeights(
        EncoderArchitecture architecture, ReadOnlyMemory<float> down, ReadOnlyMemory<float> downBias, ReadOnlyMemory<float> up, ReadOnlyMemory<float> upBias,
        ReadOnlyMemory<float> head, ReadOnlyMemory<float> headBias)
    {
        Architecture = architecture;
        Down = down;
        DownBias = downBias;
        Up = up;
        UpBias = upBias;
        Head = head;
        HeadBias = headBias;
    }

    /// <summary>The encoder these weights fit.</summary>
    public EncoderArchitecture Architecture { get; }

    /// <summary>Down-projections, <c>[N, d, r]</c>.</summary>
    public ReadOnlyMemory<float> Down { get; }

    /// <summary>Down-projection biases, <c>[N, r]</c>.</summary>
    public ReadOnlyMemory<float> DownBias { get; }

    /// <summary>Up-projections, <c>[N, r, d]</c>; all zero for the base model.</summary>
    public ReadOnlyMemory<float> Up { get; }

    /// <summary>Up-projection biases, <c>[N, d]</c>.</summary>
    public ReadOnlyMemory<float> UpBias { get; }

    /// <summary>CTC head, <c>[d, V]</c>.</summary>
    public ReadOnlyMemory<float> Head { get; }

    /// <summary>CTC head bias, <c>[V]</c>.</summary>
    public ReadOnlyMemory<float> HeadBias { get; }

    /// <summary>Bytes held by the weights.</summary>
    public long ByteSize =>
        (sizeof(float) * ((long)Down.Length + DownBias.Length + Up.Length + UpBias.Length + Head.Length + HeadBias.Length)) + (Translation?.ByteSize ?? 0);

    /// <summary>The attention decoder of a translation adapter; null for recognition (CTC) adapters and the base model.</summary>
    public TranslationHead? Translation { get; private init; }

    /// <summary>These weights with <paramref name="head"/> as their translation decoder.</summary>
    public AdapterWeights WithTranslation(TranslationHead head)
    {
        ArgumentNullException.ThrowIfNull(head);
        return new AdapterWeights(Architecture, Down, DownBias, Up, UpBias, Head, HeadBias) { Translation = head };
    }

    /// <summary>The base model: identity adapters (all zero) and the base CTC head.</summary>
    /// <param name="architecture">The encoder.</param>
    /// <param name="head">Base head <c>[d, V]</c>.</param>
    /// <param name="headBias">Base head bias <c>[V]</c>.</param>
    public static AdapterWeights Identity(EncoderArchitecture architecture, float[] head, float[] headBias)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        var (n, d, r) = (architecture.NumLayers, architecture.DModel, architecture.AdapterDim);
        return Create(architecture, new float[n * d * r], new float[n * r], new float[n * r * d], new float[n * d], head, headBias);
    }

    /// <summary>Wraps arrays already in graph layout, checking every length against the architecture.</summary>
    /// <exception cref="ArgumentException">An array has the wrong length; the message names it.</exception>
    public static AdapterWeights Create(EncoderArchitecture architecture, float[] down, float[] downBias, float[] up, float[] upBias, float[] head, float[] headBias)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        var (n, d, r, v) = (architecture.NumLayers, architecture.DModel, architecture.AdapterDim, architecture.VocabSize);
        RequireLength(down, n * d * r, nameof(down));
        RequireLength(downBias, n * r, nameof(downBias));
        RequireLength(up, n * r * d, nameof(up));
        RequireLength(upBias, n * d, nameof(upBias));
        RequireLength(head, d * v, nameof(head));
        RequireLength(headBias, v, nameof(headBias));
        return new AdapterWeights(architecture, down, downBias, up, upBias, head, headBias);
    }

    private static void RequireLength(float[] values, int expected, string name)
    {
        ArgumentNullException.ThrowIfNull(values, name);
        if (values.Length != expected)
        {
            throw new ArgumentException($"{name} holds {values.Length} values; the encoder needs {expected}.", name);
        }
    }
}
