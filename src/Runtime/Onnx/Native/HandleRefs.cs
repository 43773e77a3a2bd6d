using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SpeechServe.Runtime.Onnx.Native;

/// <summary>
/// Holds a reference on each SafeHandle a native call uses, so a concurrent <c>Dispose</c> cannot release the native
/// object mid-call. Keep it in a local and call <see cref="Release"/> in a <c>finally</c>; it allocates nothing for up
/// to 16 handles.
/// </summary>
internal struct HandleRefs
{
    private Buffer _inline;
    private List<SafeHandle>? _overflow;
    private int _count;

    /// <summary>Adds a reference to <paramref name="handle"/> and returns its raw value.</summary>
    /// <exception cref="ObjectDisposedException">The handle has been closed.</exception>
    public nint Add(SafeHandle handle)
    {
        var added = false;
        handle.DangerousAddRef(ref added);
        if (_count < Buffer.Length)
        {
            _inline[_count] = handle;
        }
        else
        {
            (_overflow ??= []).Add(handle);
        }

        _count++;
        return handle.DangerousGetHandle();
    }

    /// <summary>Drops every reference taken by <see cref="Add"/>.</summary>
    public void Release()
    {
        for (var i = 0; i < _count; i++)
        {
            var handle = i < Buffer.Length ? _inline[i] : _overflow![i - Buffer.Length];
            handle!.DangerousRelease();
        }

        _count = 0;
        _inline = default;
        _overflow = null;
    }

    [InlineArray(Length)]
    private struct Buffer
    {
        public const int Length = 16;

        private SafeHandle? _element;
    }
}
