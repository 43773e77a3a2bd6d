using System.IO.Compression;
using SpeechServe.Export.Adaptation;

namespace SpeechServe.Serving.Adaptation;

/// <summary>
/// Unpacks an uploaded dataset zip into a directory: entry names must be relative paths without <c>..</c>, links
/// are refused, and the entries together may not uncompress past a limit (each entry is cut at its declared
/// size, so a lying header cannot exceed it either). The dataset is the directory holding the metadata file: the
/// top level, or a single folder the user zipped.
/// </summary>
public static class DatasetArchive
{
    private const int UnixFileTypeMask = 0xF000;
    private const int UnixSymbolicLink = 0xA000;

    /// <summary>Unpacks <paramref name="zip"/> into <paramref name="directory"/> and returns the dataset's directory.</summary>
    /// <exception cref="DatasetException">The zip is malformed, unsafe, too large, or has no metadata file.</exception>
    public static string Extract(Stream zip, string directory, long maxUncompressedBytes)
    {
        using var archive = Open(zip);
        var total = archive.Entries.Sum(e => e.Length);
        if (total > maxUncompressedBytes)
        {
            throw new DatasetException($"the dataset uncompresses to {total} bytes, more than the limit of {maxUncompressedBytes} (Adaptation:MaxUncompressedBytes).");
        }

        foreach (var entry in archive.Entries)
        {
            try
            {
                Write(entry, directory);
            }
            catch (InvalidDataException ex)
            {
                throw new DatasetException($"the zip entry '{entry.FullName}' cannot be decompressed ({ex.Message}); zip the dataset again.");
            }
        }

        return DatasetRoot(directory);
    }

    private static ZipArchive Open(Stream zip)
    {
        try
        {
            return new ZipArchive(zip, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (Exception ex) when (ex is InvalidDataException or ArgumentOutOfRangeException or IOException)
        {
            // A stream shorter than the end-of-central-directory record fails its seek with one of the latter two.
            throw new DatasetException($"the data part is not a readable zip archive ({ex.Message}); zip the dataset folder and send it as 'data'.");
        }
    }

    private static void Write(ZipArchiveEntry entry, string directory)
    {
        var name = entry.FullName;
        var segments = name.Split('/');
        if (name.Length == 0 || name.StartsWith('/') || name.Contains('\\', StringComparison.Ordinal) || name.Contains(':', StringComparison.Ordinal)
            || segments.Any(s => s is "." or ".."))
        {
            throw new DatasetException($"the zip entry '{name}' is not a relative path inside the dataset.");
        }

        if (((entry.ExternalAttributes >> 16) & UnixFileTypeMask) == UnixSymbolicLink)
        {
            throw new DatasetException($"the zip entry '{name}' is a symbolic link; zip the files themselves.");
        }

        var path = Path.Combine(directory, Path.Combine(segments));
        if (name.EndsWith('/'))
        {
            Directory.CreateDirectory(path);
            return;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var source = entry.Open();
        using var target = File.Create(path);
        var buffer = new byte[81920];
        var left = entry.Length;
        int read;
        while (left > 0 && (read = source.Read(buffer, 0, (int)Math.Min(buffer.Length, left))) > 0)
        {
            target.Write(buffer, 0, read);
            left -= read;
        }
    }

    private static string DatasetRoot(string directory)
    {
        static bool HasMetadata(string d) =>
            File.Exists(Path.Combine(d, DatasetMetadata.CsvFileName)) || File.Exists(Path.Combine(d, DatasetMetadata.JsonLinesFileName));

        if (HasMetadata(directory))
        {
            return directory;
        }

        var folders = Directory.GetDirectories(directory);
        return folders.Length == 1 && Directory.GetFiles(directory).Length == 0 && HasMetadata(folders[0]) ? folders[0] : directory;
    }
}
