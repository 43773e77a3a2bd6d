using System.Runtime.InteropServices;

namespace SpeechServe.Serving.Hosting;

/// <summary>
/// Caps glibc's malloc arenas for the process (<c>mallopt(M_ARENA_MAX)</c>). By default glibc gives threads that
/// allocate at the same time arenas of their own, up to 8 per core, and keeps freed memory in each: ONNX Runtime's
/// per-run buffers, allocated from whichever thread-pool threads run the encoder, then spread over more and more
/// arenas and the resident memory creeps up for minutes under steady load (docs/reliability.md, "Soak").
/// </summary>
internal static partial class MallocArenaLimit
{
    /// <summary><c>M_ARENA_MAX</c> in glibc's <c>malloc.h</c>.</summary>
    private const int MArenaMax = -8;

    /// <summary>
    /// Limits the arenas to <paramref name="arenas"/>; does nothing for 0, off Linux, with a C library
    /// without <c>mallopt</c>, or when the environment variable <c>MALLOC_ARENA_MAX</c> already sets it.
    /// </summary>
    /// <returns>Whether the limit was applied.</returns>
    public static bool Apply(int arenas)
    {
        if (arenas <= 0 || !OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("MALLOC_ARENA_MAX") is { Length: > 0 })
        {
            return false;
        }

        try
        {
            return Mallopt(MArenaMax, arenas) == 1;
        }
        catch (EntryPointNotFoundException)
        {
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "mallopt")]
    private static partial int Mallopt(int parameter, int value);
}
