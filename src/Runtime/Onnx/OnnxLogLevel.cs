namespace SpeechServe.Runtime.Onnx;

/// <summary>ONNX Runtime's log severity (<c>OrtLoggingLevel</c>); messages below the chosen level are not produced.</summary>
public enum OnnxLogLevel
{
    /// <summary>Verbose diagnostics (least severe).</summary>
    Verbose = 0,

    /// <summary>Informational messages.</summary>
    Info = 1,

    /// <summary>Warnings.</summary>
    Warning = 2,

    /// <summary>Errors.</summary>
    Error = 3,

    /// <summary>Fatal errors (most severe).</summary>
    Fatal = 4,
}
