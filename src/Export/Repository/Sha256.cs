using System.Security.Cryptography;

namespace SpeechServe.Export.Repository;

/// <summary>SHA-256 digests as lower-case hex, the form model.json and adapter_config.json use.</summary>
public static class Sha256
{
    /// <summary>The digest of a file's contents.</summary>
    public static string OfFile(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>The digest of some bytes.</summary>
    public static string Of(ReadOnlySpan<byte> data) => Convert.ToHexStringLower(SHA256.HashData(data));
}
