using SpeechServe.Export.Onnx.Proto;

namespace SpeechServe.Export.Tests.Onnx;

/// <summary>
/// A small model built with the graph builder, with concrete inputs and the outputs a correct runtime
/// must produce for them (computed in C# by <see cref="ReferenceKernels"/>).
/// </summary>
/// <param name="Name">Short name, also used as the file name.</param>
/// <param name="Model">The model, initializers inline.</param>
/// <param name="Inputs">Values for every graph input.</param>
/// <param name="ExpectedOutputs">Expected values of every graph output.</param>
/// <param name="Tolerance">Absolute tolerance for comparing float outputs.</param>
public sealed record SampleGraph(
    string Name,
    ModelProto Model,
    IReadOnlyList<SampleTensor> Inputs,
    IReadOnlyList<SampleTensor> ExpectedOutputs,
    float Tolerance = 1e-5f);
