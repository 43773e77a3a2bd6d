namespace SpeechServe.Adapters.Packages;

/// <summary>The rules an adapter package is checked against, as reported in errors (docs/adapters.md).</summary>
public static class AdapterPackageRules
{
    /// <summary>Unspecified.</summary>
    public const string Invalid = "package.invalid";

    /// <summary>The upload is larger than the accepted package size.</summary>
    public const string PackageSize = "zip.package-size";

    /// <summary>The body is not a readable zip archive.</summary>
    public const string ZipFormat = "zip.format";

    /// <summary>The archive has more entries than allowed.</summary>
    public const string EntryCount = "zip.entry-count";

    /// <summary>An entry name is absolute, has <c>..</c>, <c>.</c>, a backslash or an empty segment.</summary>
    public const string EntryPath = "zip.entry-path";

    /// <summary>An entry is a symbolic link.</summary>
    public const string EntryLink = "zip.entry-link";

    /// <summary>An entry is not one of the package's files (or is a directory).</summary>
    public const string UnexpectedEntry = "zip.unexpected-entry";

    /// <summary>Two entries have the same name.</summary>
    public const string DuplicateEntry = "zip.duplicate-entry";

    /// <summary>The entries' uncompressed size exceeds the limit, or an entry is larger than it claims.</summary>
    public const string UncompressedSize = "zip.uncompressed-size";

    /// <summary>An entry compresses better than the allowed ratio (a zip bomb).</summary>
    public const string CompressionRatio = "zip.compression-ratio";

    /// <summary>An entry cannot be decompressed or fails its CRC.</summary>
    public const string EntryCorrupt = "zip.entry-corrupt";

    /// <summary><c>adapter_config.json</c> is missing.</summary>
    public const string MissingConfig = "package.missing-config";

    /// <summary><c>adapter_model.safetensors</c> is missing.</summary>
    public const string MissingWeights = "package.missing-weights";

    /// <summary><c>decoder.onnx</c> or <c>decoder_cross.onnx</c> is present for a kind other than translation, or missing or empty for translation.</summary>
    public const string Decoder = "package.decoder";

    /// <summary><c>adapter_config.json</c> cannot be parsed or has an unknown format version.</summary>
    public const string Config = "config.format";

    /// <summary>The adapter's name does not match <c>[a-z0-9][a-z0-9_-]{0,63}</c>.</summary>
    public const string Name = "config.name";

    /// <summary>The config's name differs from the name the package was uploaded under.</summary>
    public const string NameMismatch = "config.name-mismatch";

    /// <summary>The kind is not <c>asr</c> or <c>translation</c>.</summary>
    public const string Kind = "config.kind";

    /// <summary>
    /// The <c>translation</c> section is missing from a translation adapter, present in another kind, or invalid
    /// (vocabulary without the special tokens first, repeated or blank tokens; no target language; max_positions not positive).
    /// </summary>
    public const string Translation = "config.translation";

    /// <summary>The adapter was trained on another base model.</summary>
    public const string BaseModel = "base.sha256";

    /// <summary>Bottleneck size or layer count differ from the base model's.</summary>
    public const string BaseShape = "base.shape";

    /// <summary>The safetensors file breaks the format (header, offsets, bounds).</summary>
    public const string WeightsFormat = "weights.format";

    /// <summary>A tensor holds NaN or infinity.</summary>
    public const string NonFinite = "weights.non-finite";

    /// <summary>A tensor is missing or has the wrong dtype or shape.</summary>
    public const string TensorShape = "weights.tensor";

    /// <summary>A tensor does not belong to the adapter (<c>adapters.{name}.*</c>).</summary>
    public const string UnexpectedTensor = "weights.unexpected-tensor";

    /// <summary>A stored file does not match its recorded SHA-256.</summary>
    public const string Checksum = "store.checksum";
}
