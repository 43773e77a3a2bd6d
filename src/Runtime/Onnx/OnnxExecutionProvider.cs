namespace SpeechServe.Runtime.Onnx;

/// <summary>Hardware back end a session runs on; configured as <c>cpu</c> or <c>cuda</c>.</summary>
public enum OnnxExecutionProvider
{
    /// <summary>ONNX Runtime's CPU execution provider.</summary>
    Cpu = 0,

    /// <summary>
    /// NVIDIA CUDA; needs ONNX Runtime's CUDA provider library, the CUDA libraries and a GPU. When any of them is
    /// missing the session falls back to <see cref="Cpu"/> and logs why.
    /// </summary>
    Cuda = 1,
}
