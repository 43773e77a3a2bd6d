namespace SpeechServe.Runtime.Onnx;

/// <summary>An error reported by ONNX Runtime, with its own message and <see cref="OrtErrorCode"/>.</summary>
public sealed class OnnxRuntimeException : Exception
{
    /// <summary>Creates an exception for an ONNX Runtime error.</summary>
    /// <param name="errorCode">The code ONNX Runtime reported.</param>
    /// <param name="message">The message ONNX Runtime reported.</param>
    public OnnxRuntimeException(OrtErrorCode errorCode, string message)
        : base($"[{errorCode}] {message}")
    {
        ErrorCode = errorCode;
        RuntimeMessage = message;
    }

    /// <summary>Creates an exception with a generic failure code.</summary>
    public OnnxRuntimeException()
        : this(OrtErrorCode.Fail, "ONNX Runtime reported an error.")
    {
    }

    /// <summary>Creates an exception with a generic failure code and the given message.</summary>
    public OnnxRuntimeException(string message)
        : this(OrtErrorCode.Fail, message)
    {
    }

    /// <summary>Creates an exception with a generic failure code, the given message and an inner exception.</summary>
    public OnnxRuntimeException(string message, Exception innerException)
        : base($"[{OrtErrorCode.Fail}] {message}", innerException)
    {
        ErrorCode = OrtErrorCode.Fail;
        RuntimeMessage = message;
    }

    /// <summary>The error code ONNX Runtime reported.</summary>
    public OrtErrorCode ErrorCode { get; }

    /// <summary>The message exactly as ONNX Runtime reported it (without the code prefix of <see cref="Exception.Message"/>).</summary>
    public string RuntimeMessage { get; }
}
