using System.IO.Compression;

namespace SpeechServe.Adapters.Packages;

/// <summary>
/// Unpacks an adapter package zip into memory, refusing anything that could escape, exhaust memory or
/// hide: absolute or <c>..</c> paths, links, directories, unknown or duplicate entries, too many entries,
/// too many uncompressed bytes, suspicious compression ratios. Entries are read with bounded buffers, so
/// a header that under-states a size is caught, not trusted.
/// </summary>
public static class AdapterZipReader
{
    private const int UnixFileTypeMask = 0xF000;
    private const int UnixSymbolicLink = 0xA000;

    /// <summary>The package's files by name.</summary>
    /// <exception cref="AdapterPackageException">A rule failed; <see cref="AdapterPackageException.Rule"/> says which.</exception>
    public static IReadOnlyDictionary<string, byte[]> Read(byte[] zip, AdapterPackageLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(zip);
        limits ??= AdapterPackageLimits.Default;
        if (zip.Length > limits.MaxPackageBytes)
        {
            throw new AdapterPackageException(AdapterPackageRules.PackageSize, $"the package is {zip.Length} bytes; the limit is {limits.MaxPackageBytes}.");
        }

        using var archive = Open(zip);
        var entries = ReadCentralDirectory(archive);
        if (entries.Count > limits.MaxEntries)
        {
            throw new AdapterPackageException(AdapterPackageRules.EntryCount, $"the archive has {entries.Count} entries; at most {limits.MaxEntries} are allowed.");
        }

        long total = 0;
        foreach (var entry in entries)
        {
            CheckEntry(entry, zip.Length, limits);
            total += entry.Length;
            if (total > limits.MaxUncompressedBytes)
            {
                throw new AdapterPackageException(AdapterPackageRules.UncompressedSize, $"the entries uncompress to more than {limits.MaxUncompressedBytes} bytes.");
            }
        }

        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            if (files.ContainsKey(entry.FullName))
            {
                throw new AdapterPackageException(AdapterPackageRules.DuplicateEntry, $"the archive holds '{entry.FullName}' twice.");
            }

            files[entry.FullName] = ReadEntry(entry);
        }

        return files;
    }

    private static ZipArchive Open(byte[] zip)
    {
        try
        {
            return new ZipArchive(new MemoryStream(zip, writable: false), ZipArchiveMode.Read);
        }
        catch (InvalidDataException ex)
        {
            throw new AdapterPackageException(AdapterPackageRules.ZipFormat, $"the body is not a zip archive: {ex.Message}", ex);
        }
    }

    // The central directory is read lazily, on the first access to Entries, so its errors surface here rather
    // than in the constructor (found by AdapterPackagePropertyTests: they escaped as InvalidDataException).
    private static System.Collections.ObjectModel.ReadOnlyCollection<ZipArchiveEntry> ReadCentralDirectory(ZipArchive archive)
    {
        try
        {
            return archive.Entries;
        }
        catch (InvalidDataException ex)
        {
            throw new AdapterPackageException(AdapterPackageRules.ZipFormat, $"the zip's central directory is broken: {ex.Message}", ex);
        }
    }

    private static void CheckEntry(ZipArchiveEntry entry, long packageBytes, AdapterPackageLimits limits)
    {
        var name = entry.FullName;
        var segments = name.Split('/');
        if (name.Length == 0 || name.StartsWith('/') || name.Contains('\\', StringComparison.Ordinal) || name.Contains(':', StringComparison.Ordinal)
            || segments.Any(s => s is ".." or "."))
        {
            throw new AdapterPackageException(AdapterPackageRules.EntryPath, $"entry '{name}' has an absolute path or a '.', '..', '\\' or ':' in it.");
        }

        if (((entry.ExternalAttributes >> 16) & UnixFileTypeMask) == UnixSymbolicLink)
        {
            throw new AdapterPackageException(AdapterPackageRules.EntryLink, $"entry '{name}' is a symbolic link; packages hold plain files only.");
        }

        if (!AdapterPackageFiles.All.Contains(name, StringComparer.Ordinal))
        {
            throw new AdapterPackageException(
                AdapterPackageRules.UnexpectedEntry,
                $"entry '{name}' is not a package file; a package holds only {string.Join(", ", AdapterPackageFiles.All)} at its top level.");
        }

        // Compressed bytes live in the package, so a header claiming more is lying; without this check it could
        // pass a large uncompressed size through the ratio check below and have its buffer allocated.
        if (entry.CompressedLength > packageBytes)
        {
            throw new AdapterPackageException(
                AdapterPackageRules.EntryCorrupt, $"entry '{name}' claims {entry.CompressedLength} compressed bytes; the whole package is {packageBytes}.");
        }

        if (entry.Length > limits.RatioExemptBytes && entry.Length > limits.MaxCompressionRatio * Math.Max(entry.CompressedLength, 1))
        {
            throw new AdapterPackageException(
                AdapterPackageRules.CompressionRatio,
                $"entry '{name}' expands {entry.Length} bytes from {entry.CompressedLength}, more than the allowed ratio of {limits.MaxCompressionRatio}.");
        }
    }

    private static byte[] ReadEntry(ZipArchiveEntry entry)
    {
        var buffer = new byte[entry.Length];
        try
        {
            using var stream = entry.Open();
            stream.ReadExactly(buffer);
            if (stream.ReadByte() != -1)
            {
                throw new AdapterPackageException(AdapterPackageRules.UncompressedSize, $"entry '{entry.FullName}' is larger than the {entry.Length} bytes its header states.");
            }
        }
        catch (Exception ex) when (ex is InvalidDataException or EndOfStreamException && ex is not AdapterPackageException)
        {
            throw new AdapterPackageException(AdapterPackageRules.EntryCorrupt, $"entry '{entry.FullName}' cannot be decompressed: {ex.Message}", ex);
        }

        return buffer;
    }
}
