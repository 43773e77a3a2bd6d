using System.Buffers.Binary;
using System.IO.Compression;

namespace SpeechServe.Tests.Support;

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

    /// <summary>A copy whose end-of-central-directory record counts one entry more than the directory holds.</summary>
    public static byte[] WithMiscountedCentralDirectory(byte[] zip)
    {
        var copy = (byte[])zip.Clone();
        var end = copy.AsSpan().LastIndexOf("PK\u0005\u0006"u8);
        foreach (var field in (int[])[8, 10])
        {
            var count = BinaryPrimitives.ReadUInt16LittleEndian(copy.AsSpan(end + field));
            BinaryPrimitives.WriteUInt16LittleEndian(copy.AsSpan(end + field), (ushort)(count + 1));
        }

        return copy;
    }

    /// <summary>A copy whose central directory gives the first entry these compressed and uncompressed sizes.</summary>
    public static byte[] WithClaimedSizes(byte[] zip, uint compressed, uint uncompressed)
    {
        var copy = (byte[])zip.Clone();
        var header = copy.AsSpan().IndexOf("PK\u0001\u0002"u8);
        BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(header + 20), compressed);
        BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(header + 24), uncompressed);
        return copy;
    }
}
