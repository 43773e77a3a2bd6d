using System.IO.Compression;

namespace SpeechServe.Adapters.Tests.Support;

/// <summary>Builds and takes apart package zips for tests, including ones no exporter would write.</summary>
public static class PackageZip
{
    /// <summary>A zip of <paramref name="entries"/>, in order, duplicates kept.</summary>
    public static byte[] Create(IEnumerable<(string Name, byte[] Content)> entries, Action<ZipArchiveEntry>? configure = null)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
                configure?.Invoke(entry);
                using var stream = entry.Open();
                stream.Write(content);
            }
        }

        return buffer.ToArray();
    }

    /// <summary>The entries of <paramref name="zip"/>.</summary>
    public static List<(string Name, byte[] Content)> Entries(byte[] zip)
    {
        using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
        return archive.Entries.Select(e =>
        {
            using var stream = e.Open();
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return (e.FullName, copy.ToArray());
        }).ToList();
    }
}
