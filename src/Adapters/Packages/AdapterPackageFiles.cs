using SpeechServe.Runtime.Models;

namespace SpeechServe.Adapters.Packages;

/// <summary>The files an adapter package may hold; all at the top level of the archive or version directory.</summary>
public static class AdapterPackageFiles
{
    /// <summary>The attention decoder of a translation adapter.</summary>
    public const string Decoder = "decoder.onnx";

    /// <summary>Every file name a package may hold.</summary>
    public static IReadOnlyList<string> All { get; } = [AdapterConfig.FileName, AdapterConfig.WeightsFileName, Decoder];
}
