using SpeechServe.Runtime.Models;

namespace SpeechServe.Adapters.Packages;

/// <summary>The files an adapter package may hold; all at the top level of the archive or version directory.</summary>
public static class AdapterPackageFiles
{
    /// <summary>The attention decoder's step graph of a translation adapter.</summary>
    public const string Decoder = AdapterConfig.DecoderFileName;

    /// <summary>The attention decoder's cross-attention graph of a translation adapter.</summary>
    public const string DecoderCross = AdapterConfig.DecoderCrossFileName;

    /// <summary>The files only a translation adapter holds, and must.</summary>
    public static IReadOnlyList<string> Translation { get; } = [Decoder, DecoderCross];

    /// <summary>Every file name a package may hold.</summary>
    public static IReadOnlyList<string> All { get; } = [AdapterConfig.FileName, AdapterConfig.WeightsFileName, Decoder, DecoderCross];
}
