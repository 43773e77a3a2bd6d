using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace SpeechServe.Adapters.Store;

/// <summary>
/// A version's checksums: its <c>SHA256SUMS</c> manifest (<c>sha256sum</c>'s format, files in ordinal order)
/// and its content address, the SHA-256 of that manifest, which names the same bytes in every store.
/// </summary>
public static class AdapterChecksums
{
    /// <summary>The <c>SHA256SUMS</c> text of <paramref name="files"/>.</summary>
    public static string Manifest(IReadOnlyDictionary<string, byte[]> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var sums = new StringBuilder();
        foreach (var (file, content) in files.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            sums.Append(CultureInfo.InvariantCulture, $"{Convert.ToHexStringLower(SHA256.HashData(content))}  {file}\n");
        }

        return sums.ToString();
    }

    /// <summary>The content address of a version whose manifest is <paramref name="manifest"/>.</summary>
    public static string Digest(string manifest) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(manifest)));

    /// <summary>The content address of <paramref name="files"/>.</summary>
    public static string Digest(IReadOnlyDictionary<string, byte[]> files) => Digest(Manifest(files));
}
