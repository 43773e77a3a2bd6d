using SpeechServe.Runtime.Onnx.Native;

namespace SpeechServe.Runtime.Onnx;

// Running a session: by name with ONNX Runtime allocating the outputs, into caller-provided output tensors, and
// through an IO binding.
public sealed unsafe partial class OnnxSession
{
    // Name and value pointer arrays up to this length live on the stack; longer ones are rented per call.
    private const int StackNames = 32;

    /// <summary>Runs the model and returns every output, in declaration order.</summary>
    /// <param name="inputNames">Input names, parallel to <paramref name="inputs"/>.</param>
    /// <param name="inputs">Input tensors; read in place, not copied.</param>
    /// <param name="runOptions">Tag, log level and terminate flag for this run; defaults when null.</param>
    /// <exception cref="OnnxRuntimeException">ONNX Runtime rejected the inputs or failed while running.</exception>
    public OnnxRunResults Run(
        ReadOnlySpan<string> inputNames, ReadOnlySpan<OnnxTensor> inputs, OnnxRunOptions? runOptions = null)
    {
        return Run(inputNames, inputs, _allOutputNames, runOptions);
    }

    /// <summary>Runs the model and returns the named outputs, which ONNX Runtime allocates.</summary>
    /// <param name="inputNames">Input names, parallel to <paramref name="inputs"/>.</param>
    /// <param name="inputs">Input tensors; read in place, not copied.</param>
    /// <param name="outputNames">Outputs to compute, in the order the results return them.</param>
    /// <param name="runOptions">Tag, log level and terminate flag for this run; defaults when null.</param>
    /// <exception cref="OnnxRuntimeException">ONNX Runtime rejected the inputs or failed while running.</exception>
    public OnnxRunResults Run(
        ReadOnlySpan<string> inputNames, ReadOnlySpan<OnnxTensor> inputs, ReadOnlySpan<string> outputNames,
        OnnxRunOptions? runOptions = null)
    {
        var values = outputNames.Length <= StackNames ? stackalloc nint[StackNames] : new nint[outputNames.Length];
        values = values[..outputNames.Length];
        values.Clear();
        RunCore(inputNames, inputs, outputNames, [], values, runOptions);

        var tensors = new OnnxTensor[outputNames.Length];
        var names = new string[outputNames.Length];
        for (var i = 0; i < tensors.Length; i++)
        {
            tensors[i] = new OnnxTensor(new OrtValueHandle(values[i]));
            names[i] = outputNames[i];
        }

        return new OnnxRunResults(names, tensors);
    }

    /// <summary>
    /// Runs the model writing the named outputs into caller-provided tensors (for example tensors over managed
    /// arrays, which ONNX Runtime then fills in place). Nothing is allocated for the outputs.
    /// </summary>
    /// <param name="inputNames">Input names, parallel to <paramref name="inputs"/>.</param>
    /// <param name="inputs">Input tensors; read in place, not copied.</param>
    /// <param name="outputNames">Output names, parallel to <paramref name="outputs"/>.</param>
    /// <param name="outputs">Tensors of the outputs' exact type and shape.</param>
    /// <param name="runOptions">Tag, log level and terminate flag for this run; defaults when null.</param>
    /// <exception cref="OnnxRuntimeException">ONNX Runtime rejected the inputs or outputs or failed while running.</exception>
    public void Run(
        ReadOnlySpan<string> inputNames, ReadOnlySpan<OnnxTensor> inputs, ReadOnlySpan<string> outputNames,
        ReadOnlySpan<OnnxTensor> outputs, OnnxRunOptions? runOptions = null)
    {
        if (outputNames.Length != outputs.Length)
        {
            throw new ArgumentException("There must be one output tensor per output name.", nameof(outputs));
        }

        var values = outputs.Length <= StackNames ? stackalloc nint[StackNames] : new nint[outputs.Length];
        RunCore(inputNames, inputs, outputNames, outputs, values[..outputs.Length], runOptions);
    }

    /// <summary>Runs the model on the inputs and outputs bound to <paramref name="binding"/>.</summary>
    /// <exception cref="OnnxRuntimeException">ONNX Runtime failed while running.</exception>
    public void Run(OnnxIoBinding binding, OnnxRunOptions? runOptions = null)
    {
        ArgumentNullException.ThrowIfNull(binding);
        var refs = new HandleRefs();
        try
        {
            var session = refs.Add(_handle);
            var bindingHandle = refs.Add(binding.Handle);
            var options = runOptions is null ? 0 : refs.Add(runOptions.Handle);
            OrtStatus.Check(OrtApi.RunWithBinding(session, options, bindingHandle));
        }
        finally
        {
            refs.Release();
        }
    }

    internal byte* InputNamePointer(string name) =>
        _inputIndex.TryGetValue(name, out var index) ? _inputNames[index].Pointer : null;

    internal byte* OutputNamePointer(string name) =>
        _outputIndex.TryGetValue(name, out var index) ? _outputNames[index].Pointer : null;

    private void RunCore(
        ReadOnlySpan<string> inputNames, ReadOnlySpan<OnnxTensor> inputs, ReadOnlySpan<string> outputNames,
        ReadOnlySpan<OnnxTensor> outputs, Span<nint> outputValues, OnnxRunOptions? runOptions)
    {
        if (inputNames.Length != inputs.Length)
        {
            throw new ArgumentException("There must be one input tensor per input name.", nameof(inputs));
        }

        var inputNamePointers = inputs.Length <= StackNames ? stackalloc nint[StackNames] : new nint[inputs.Length];
        var inputValues = inputs.Length <= StackNames ? stackalloc nint[StackNames] : new nint[inputs.Length];
        var outputNamePointers = outputNames.Length <= StackNames ? stackalloc nint[StackNames] : new nint[outputNames.Length];

        // Names the model does not declare are still passed on, so ONNX Runtime reports them in its own words.
        List<Utf8Z>? unknownNames = null;
        for (var i = 0; i < inputNames.Length; i++)
        {
            var name = InputNamePointer(inputNames[i]);
            inputNamePointers[i] = (nint)(name != null ? name : Encode(inputNames[i], ref unknownNames));
        }

        for (var i = 0; i < outputNames.Length; i++)
        {
            var name = OutputNamePointer(outputNames[i]);
            outputNamePointers[i] = (nint)(name != null ? name : Encode(outputNames[i], ref unknownNames));
        }

        var refs = new HandleRefs();
        try
        {
            var session = refs.Add(_handle);
            var options = runOptions is null ? 0 : refs.Add(runOptions.Handle);
            for (var i = 0; i < inputs.Length; i++)
            {
                inputValues[i] = refs.Add(inputs[i].Handle);
            }

            for (var i = 0; i < outputs.Length; i++)
            {
                outputValues[i] = refs.Add(outputs[i].Handle);
            }

            fixed (nint* inNames = inputNamePointers, inValues = inputValues, outNames = outputNamePointers, outValues = outputValues)
            {
                OrtStatus.Check(OrtApi.Run(
                    session, options, (byte**)inNames, inValues, (nuint)inputs.Length, (byte**)outNames,
                    (nuint)outputNames.Length, outValues));
            }
        }
        finally
        {
            refs.Release();
        }

        GC.KeepAlive(unknownNames);
        GC.KeepAlive(this);
    }

    private static byte* Encode(string name, ref List<Utf8Z>? keepAlive)
    {
        ArgumentNullException.ThrowIfNull(name);
        var encoded = new Utf8Z(name);
        (keepAlive ??= []).Add(encoded);
        return encoded.Pointer;
    }
}
