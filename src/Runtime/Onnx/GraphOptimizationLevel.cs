namespace SpeechServe.Runtime.Onnx;

/// <summary>How far ONNX Runtime rewrites the graph when a session loads (<c>GraphOptimizationLevel</c>).</summary>
public enum GraphOptimizationLevel
{
    /// <summary>No graph optimisations.</summary>
    DisableAll = 0,

    /// <summary>Semantics-preserving basic rewrites such as constant folding and redundant node removal.</summary>
    Basic = 1,

    /// <summary>Basic plus extended fusions.</summary>
    Extended = 2,

    /// <summary>Every optimisation, layout ones included (ONNX Runtime's default).</summary>
    All = 99,
}
