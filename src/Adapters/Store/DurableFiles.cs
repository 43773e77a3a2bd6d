using System.Runtime.InteropServices;

namespace SpeechServe.Adapters.Store;

/// <summary>
/// File writes that survive a crash or power loss: data is flushed to the disk before a rename makes it
/// visible, and the directory is flushed after the rename so the rename itself is durable.
/// </summary>
internal static partial class DurableFiles
{
    private const int ReadOnlyDirectory = 0x10000; // O_RDONLY | O_DIRECTORY on Linux

    /// <summary>Writes <paramref name="content"/> to a new file and flushes it to the disk.</summary>
    public static void WriteNew(string path, ReadOnlySpan<byte> content)
    {
        using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        stream.Write(content);
        stream.Flush(flushToDisk: true);
    }

    /// <summary>Replaces <paramref name="path"/> atomically: write a temporary file, flush, rename over, flush the directory.</summary>
    public static void ReplaceAtomically(string path, ReadOnlySpan<byte> content)
    {
        var directory = Path.GetDirectoryName(path)!;
        var temporary = Path.Combine(directory, $"{Path.GetFileName(path)}{AdapterStore.TemporaryMarker}{Guid.NewGuid():N}");
        try
        {
            WriteNew(temporary, content);
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }

        SyncDirectory(directory);
    }

    /// <summary>Flushes a directory's entries (names created, renamed or removed) to the disk; a no-op off Linux.</summary>
    public static void SyncDirectory(string directory)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var descriptor = Open(directory, ReadOnlyDirectory);
        if (descriptor < 0)
        {
            throw new IOException($"Could not open {directory} to flush it (errno {Marshal.GetLastPInvokeError()}).");
        }

        try
        {
            if (Fsync(descriptor) != 0)
            {
                throw new IOException($"Could not flush {directory} (errno {Marshal.GetLastPInvokeError()}).");
            }
        }
        finally
        {
            _ = Close(descriptor);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int descriptor);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int descriptor);
}
