using SpeechServe.Runtime.Onnx.Native;

namespace SpeechServe.Runtime.Onnx;

/// <summary>
/// Inputs and outputs bound to a session ahead of a run (<c>OrtIoBinding</c>), so repeated runs reuse them: bind a
/// tensor over a managed array as an output and ONNX Runtime writes the result straight into that array.
/// </summary>
/// <remarks>
/// A binding is not thread-safe; use one per concurrent caller. Bound tensors stay valid while bound even if they are
/// disposed meanwhile: the binding holds them until they are rebound, cleared or the binding is disposed. A bind that
/// ONNX Runtime rejects leaves the earlier bindings as they were.
/// </remarks>
public sealed unsafe class OnnxIoBinding : IDisposable
{
    private readonly OnnxSession _session;
    private readonly OrtIoBindingHandle _handle;
    private readonly Dictionary<string, OnnxTensor> _inputs = new(StringComparer.Ordinal);

    // Output name -> bound tensor, or null for an output bound to CPU memory that ONNX Runtime allocates.
    private readonly Dictionary<string, OnnxTensor?> _outputs = new(StringComparer.Ordinal);
    private readonly List<string> _outputOrder = [];

    internal OnnxIoBinding(OnnxSession session)
    {
        _session = session;
        var refs = new HandleRefs();
        try
        {
            nint raw;
            OrtStatus.Check(OrtApi.CreateIoBinding(refs.Add(session.Handle), &raw));
            _handle = new OrtIoBindingHandle(raw);
        }
        finally
        {
            refs.Release();
        }
    }

    /// <summary>Output names in the order <see cref="GetOutputs"/> returns them (the order they were first bound).</summary>
    public IReadOnlyList<string> OutputNames => _outputOrder;

    internal OrtIoBindingHandle Handle => _handle;

    /// <summary>Binds <paramref name="tensor"/> to the input <paramref name="name"/>, replacing any earlier binding.</summary>
    /// <exception cref="OnnxRuntimeException">ONNX Runtime rejected the binding (for example an unknown name).</exception>
    public void BindInput(string name, OnnxTensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        Bind(name, tensor, input: true);
    }

    /// <summary>
    /// Binds <paramref name="tensor"/> to the output <paramref name="name"/>: runs write the output into its memory, in
    /// place. The tensor must have the output's exact element type and shape.
    /// </summary>
    /// <exception cref="OnnxRuntimeException">ONNX Runtime rejected the binding.</exception>
    public void BindOutput(string name, OnnxTensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        Bind(name, tensor, input: false);
    }

    /// <summary>
    /// Binds the output <paramref name="name"/> to CPU memory that ONNX Runtime allocates at each run, for outputs
    /// whose shape is not known in advance; read them with <see cref="GetOutputs"/>.
    /// </summary>
    public void BindOutputToCpu(string name) => Bind(name, null, input: false);

    /// <summary>Removes every input binding.</summary>
    public void ClearInputs()
    {
        OrtApi.ClearBoundInputs(LiveHandle());
        ReleaseAll(_inputs.Values);
        _inputs.Clear();
    }

    /// <summary>Removes every output binding.</summary>
    public void ClearOutputs()
    {
        OrtApi.ClearBoundOutputs(LiveHandle());
        ReleaseAll(_outputs.Values);
        _outputs.Clear();
        _outputOrder.Clear();
    }

    /// <summary>Runs the session on this binding (same as <see cref="OnnxSession.Run(OnnxIoBinding, OnnxRunOptions?)"/>).</summary>
    public void Run(OnnxRunOptions? runOptions = null) => _session.Run(this, runOptions);

    /// <summary>
    /// The outputs of the last run, in <see cref="OutputNames"/> order. An output bound to a tensor comes back as a new
    /// tensor over the same memory, valid while the bound tensor is.
    /// </summary>
    public OnnxRunResults GetOutputs()
    {
        nint* values;
        nuint count;
        OrtStatus.Check(OrtApi.GetBoundOutputValues(LiveHandle(), OrtCpu.Allocator, &values, &count));
        var tensors = new OnnxTensor[(int)count];
        try
        {
            for (var i = 0; i < tensors.Length; i++)
            {
                tensors[i] = new OnnxTensor(new OrtValueHandle(values[i]));
            }
        }
        finally
        {
            OrtCpu.Free(values);
        }

        GC.KeepAlive(this);
        return new OnnxRunResults([.. _outputOrder.Take(tensors.Length)], tensors);
    }

    /// <summary>Releases the native binding and the tensors it holds; safe to call more than once.</summary>
    public void Dispose()
    {
        if (_handle.IsClosed)
        {
            return;
        }

        _handle.Dispose();
        ReleaseAll(_inputs.Values);
        ReleaseAll(_outputs.Values);
        _inputs.Clear();
        _outputs.Clear();
    }

    private void Bind(string name, OnnxTensor? tensor, bool input)
    {
        ArgumentNullException.ThrowIfNull(name);
        var held = false;
        tensor?.Handle.DangerousAddRef(ref held);
        try
        {
            BindNative(name, tensor, input);
        }
        catch (OnnxRuntimeException)
        {
            if (held)
            {
                tensor!.Handle.DangerousRelease();
            }

            // ONNX Runtime may keep half of a rejected binding; rebuild the last good set.
            Rebind(input);
            throw;
        }

        if (input)
        {
            if (_inputs.Remove(name, out var previous))
            {
                previous.Handle.DangerousRelease();
            }

            _inputs[name] = tensor!;
        }
        else
        {
            if (_outputs.Remove(name, out var previous))
            {
                previous?.Handle.DangerousRelease();
            }
            else
            {
                _outputOrder.Add(name);
            }

            _outputs[name] = tensor;
        }
    }

    private void BindNative(string name, OnnxTensor? tensor, bool input)
    {
        var binding = LiveHandle();
        var known = input ? _session.InputNamePointer(name) : _session.OutputNamePointer(name);

        // A name the model lacks is still passed on, so ONNX Runtime reports it in its own words.
        var encoded = known == null ? new Utf8Z(name) : null;
        var namePointer = known != null ? known : encoded!.Pointer;
        if (tensor is null)
        {
            OrtStatus.Check(OrtApi.BindOutputToDevice(binding, namePointer, OrtCpu.MemoryInfo.DangerousGetHandle()));
        }
        else
        {
            var value = tensor.Handle.DangerousGetHandle();
            OrtStatus.Check(input
                ? OrtApi.BindInput(binding, namePointer, value)
                : OrtApi.BindOutput(binding, namePointer, value));
        }

        GC.KeepAlive(encoded);
        GC.KeepAlive(this);
    }

    private void Rebind(bool input)
    {
        if (input)
        {
            OrtApi.ClearBoundInputs(LiveHandle());
            foreach (var (name, tensor) in _inputs)
            {
                BindNative(name, tensor, input: true);
            }
        }
        else
        {
            OrtApi.ClearBoundOutputs(LiveHandle());
            foreach (var name in _outputOrder)
            {
                BindNative(name, _outputs[name], input: false);
            }
        }
    }

    private static void ReleaseAll(IEnumerable<OnnxTensor?> tensors)
    {
        foreach (var tensor in tensors)
        {
            tensor?.Handle.DangerousRelease();
        }
    }

    private nint LiveHandle()
    {
        ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
        return _handle.DangerousGetHandle();
    }
}
