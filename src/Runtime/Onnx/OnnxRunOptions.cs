using SpeechServe.Runtime.Onnx.Native;

namespace SpeechServe.Runtime.Onnx;

/// <summary>
/// Per-run settings (<c>OrtRunOptions</c>): a tag that ONNX Runtime puts in the run's log lines, a log level, and a
/// terminate flag that makes runs using these options stop early with an error.
/// </summary>
/// <remarks>One instance may be shared by concurrent runs; <see cref="Terminate"/> then stops all of them.</remarks>
public sealed unsafe class OnnxRunOptions : IDisposable
{
    private readonly OrtRunOptionsHandle _handle;

    /// <summary>Creates run options.</summary>
    /// <param name="tag">Tag for the run's log lines, e.g. a request id; none when null.</param>
    /// <param name="logLevel">Least severe message the run logs; the session's level when null.</param>
    public OnnxRunOptions(string? tag = null, OnnxLogLevel? logLevel = null)
    {
        nint raw;
        OrtStatus.Check(OrtApi.CreateRunOptions(&raw));
        _handle = new OrtRunOptionsHandle(raw);
        try
        {
            if (tag is not null)
            {
                var tagZ = new Utf8Z(tag);
                OrtStatus.Check(OrtApi.RunOptionsSetRunTag(raw, tagZ.Pointer));
                GC.KeepAlive(tagZ);
            }

            if (logLevel is { } level)
            {
                OrtStatus.Check(OrtApi.RunOptionsSetRunLogSeverityLevel(raw, (int)level));
            }
        }
        catch
        {
            _handle.Dispose();
            throw;
        }
    }

    /// <summary>The run tag, as ONNX Runtime holds it (empty when none was set).</summary>
    public string Tag
    {
        get
        {
            byte* tag;
            OrtStatus.Check(OrtApi.RunOptionsGetRunTag(LiveHandle(), &tag));
            var result = tag == null ? string.Empty : Utf8Z.Read(tag);
            GC.KeepAlive(this);
            return result;
        }
    }

    internal OrtRunOptionsHandle Handle => _handle;

    /// <summary>
    /// Asks every run using these options, running now or started later, to stop; they fail with an
    /// <see cref="OnnxRuntimeException"/>. Safe to call from any thread.
    /// </summary>
    public void Terminate()
    {
        OrtStatus.Check(OrtApi.RunOptionsSetTerminate(LiveHandle()));
        GC.KeepAlive(this);
    }

    /// <summary>Clears the terminate flag so these options can be used for new runs.</summary>
    public void ResetTerminate()
    {
        OrtStatus.Check(OrtApi.RunOptionsUnsetTerminate(LiveHandle()));
        GC.KeepAlive(this);
    }

    /// <summary>Releases the native run options; safe to call more than once.</summary>
    public void Dispose() => _handle.Dispose();

    private nint LiveHandle()
    {
        ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
        return _handle.DangerousGetHandle();
    }
}
