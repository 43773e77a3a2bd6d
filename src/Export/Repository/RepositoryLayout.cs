namespace SpeechServe.Export.Repository;

/// <summary>File names inside a model repository (DESIGN.md, "Model repository").</summary>
public static class RepositoryLayout
{
    /// <summary>The manifest.</summary>
    public const string Manifest = "model.json";

    /// <summary>The float32 encoder graph.</summary>
    public const string Encoder = "encoder.onnx";

    /// <summary>The int8 dynamically quantised encoder graph.</summary>
    public const string EncoderInt8 = "encoder.int8.onnx";

    /// <summary>The vocabulary.</summary>
    public const string Tokens = "tokens.txt";

    /// <summary>The base model's CTC head.</summary>
    public const string BaseHead = "base_head.safetensors";

    /// <summary>The word language model (ARPA), when the export has one.</summary>
    public const string LanguageModel = "lm.arpa";

    /// <summary>The word language model as gzip-compressed ARPA, when the export's file is one (<c>.gz</c>).</summary>
    public const string CompressedLanguageModel = "lm.arpa.gz";

    /// <summary>The adapter store inside a repository; not covered by the manifest's file hashes.</summary>
    public const string AdaptersDirectory = "adapters";

    /// <summary>The first version of an adapter exported with its base model.</summary>
    public const int FirstAdapterVersion = 1;

    /// <summary>The directory of version <paramref name="version"/> of adapter <paramref name="name"/>.</summary>
    public static string AdapterDirectory(string name, int version) => $"{AdaptersDirectory}/{name}/{version}";
}
