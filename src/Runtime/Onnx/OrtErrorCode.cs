namespace SpeechServe.Runtime.Onnx;

/// <summary>
/// ONNX Runtime's error codes (<c>OrtErrorCode</c> in <c>onnxruntime_c_api.h</c>); the numeric values are the C enum's.
/// Codes added by newer runtimes arrive as their number.
/// </summary>
public enum OrtErrorCode
{
    /// <summary>No error.</summary>
    Ok = 0,

    /// <summary>Generic failure (<c>ORT_FAIL</c>).</summary>
    Fail = 1,

    /// <summary>An argument was invalid: an unknown input name, a wrong shape or type (<c>ORT_INVALID_ARGUMENT</c>).</summary>
    InvalidArgument = 2,

    /// <summary>A file was not found (<c>ORT_NO_SUCHFILE</c>).</summary>
    NoSuchFile = 3,

    /// <summary>No model was loaded (<c>ORT_NO_MODEL</c>).</summary>
    NoModel = 4,

    /// <summary>An engine error (<c>ORT_ENGINE_ERROR</c>).</summary>
    EngineError = 5,

    /// <summary>An exception was raised inside the runtime (<c>ORT_RUNTIME_EXCEPTION</c>).</summary>
    RuntimeException = 6,

    /// <summary>The model bytes are not a valid ONNX protobuf (<c>ORT_INVALID_PROTOBUF</c>).</summary>
    InvalidProtobuf = 7,

    /// <summary>A model is already loaded (<c>ORT_MODEL_LOADED</c>).</summary>
    ModelLoaded = 8,

    /// <summary>The operation is not implemented (<c>ORT_NOT_IMPLEMENTED</c>).</summary>
    NotImplemented = 9,

    /// <summary>The graph is invalid (<c>ORT_INVALID_GRAPH</c>).</summary>
    InvalidGraph = 10,

    /// <summary>An execution provider failed (<c>ORT_EP_FAIL</c>).</summary>
    ExecutionProviderFail = 11,
}
