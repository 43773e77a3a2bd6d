using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SpeechServe.Runtime.Onnx.Native;

/// <summary>The one funnel for <c>OrtStatus*</c> results: every status returned by the C API goes through <see cref="Check"/>.</summary>
internal static unsafe class OrtStatus
{
    /// <summary>
    /// Returns when <paramref name="status"/> is null (success); otherwise reads ONNX Runtime's code and message,
    /// releases the status and throws an <see cref="OnnxRuntimeException"/> carrying them.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Check(nint status)
    {
        if (status != 0)
        {
            Throw(status);
        }
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Throw(nint status)
    {
        OrtErrorCode code;
        string message;
        try
        {
            code = (OrtErrorCode)OrtApi.GetErrorCode(status);
            message = Marshal.PtrToStringUTF8((nint)OrtApi.GetErrorMessage(status)) ?? string.Empty;
        }
        finally
        {
            OrtApi.ReleaseStatus(status);
        }

        throw new OnnxRuntimeException(code, message);
    }
}
