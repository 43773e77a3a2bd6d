namespace SpeechServe.Runtime.Tensors;

/// <summary>
/// Names of the rules checkpoint readers enforce; they appear in
/// <see cref="CheckpointFormatException.Rule"/> and at the start of its message.
/// </summary>
public static class CheckpointFormatRules
{
    /// <summary>The file is larger than the configured cap, or empty where it must not be.</summary>
    public const string FileSize = "file-size";

    /// <summary>safetensors: the 8-byte header length is zero, over the cap, or past the end of the file.</summary>
    public const string HeaderLength = "header-length";

    /// <summary>safetensors: the header is not a UTF-8 JSON object.</summary>
    public const string HeaderJson = "header-json";

    /// <summary>safetensors: an entry is not an object with exactly dtype, shape and data_offsets.</summary>
    public const string EntryFields = "entry-fields";

    /// <summary>The dtype name or code is unknown.</summary>
    public const string DType = "dtype";

    /// <summary>The shape is not a list of non-negative integers, has too many dimensions, or overflows.</summary>
    public const string Shape = "shape";

    /// <summary>safetensors: data_offsets is not [begin, end] with begin &lt;= end inside the data buffer.</summary>
    public const string DataOffsets = "data-offsets";

    /// <summary>safetensors: element count times element size differs from end - begin.</summary>
    public const string ByteLength = "byte-length";

    /// <summary>safetensors: tensors overlap or leave a gap in the data buffer.</summary>
    public const string Layout = "layout";

    /// <summary>Bytes follow the last tensor.</summary>
    public const string TrailingBytes = "trailing-bytes";

    /// <summary>Two entries share a name.</summary>
    public const string DuplicateName = "duplicate-name";

    /// <summary>A tensor name is empty or not valid UTF-8.</summary>
    public const string Name = "name";

    /// <summary>safetensors: __metadata__ is not an object of string values.</summary>
    public const string Metadata = "metadata";

    /// <summary>A floating-point tensor holds NaN or infinity (only when finiteness is required).</summary>
    public const string NonFinite = "non-finite";

    /// <summary>TorchSharp: a LEB128 varint is truncated or longer than 64 bits.</summary>
    public const string Varint = "varint";

    /// <summary>TorchSharp: the entry count cannot fit in the file.</summary>
    public const string EntryCount = "entry-count";

    /// <summary>Data (or a name) runs past the end of the file.</summary>
    public const string Truncated = "truncated";
}
