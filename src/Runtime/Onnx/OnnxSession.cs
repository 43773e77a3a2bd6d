using SpeechServe.Runtime.Onnx.Native;

namespace SpeechServe.Runtime.Onnx;

/// <summary>
/// A loaded model (<c>OrtSession</c>). Runs are thread-safe: one session serves concurrent requests. Create sessions
/// with <see cref="OnnxEnvironment.CreateSession(string, OnnxSessionOptions?)"/>.
/// </summary>
/// <remarks>
/// Input and output names are encoded to UTF-8 once, at load time, so a run by name allocates nothing for them.
/// The session keeps its environment alive until it is disposed.
/// </remarks>
public sealed unsafe partial class OnnxSession : IDisposable
{
    private readonly OrtSessionHandle _handle;
    private readonly OnnxEnvironment _environment;
    private readonly Utf8Z[] _inputNames;
    private readonly Utf8Z[] _outputNames;
    private readonly Dictionary<string, int> _inputIndex;
    private readonly Dictionary<string, int> _outputIndex;
    private readonly string[] _allOutputNames;
    private int _disposed;

    private OnnxSession(OnnxEnvironment environment, OrtSessionHandle handle, OnnxExecutionProvider provider)
    {
        _handle = handle;
        _environment = environment;
        ExecutionProvider = provider;
        var environmentHeld = false;
        environment.Handle.DangerousAddRef(ref environmentHeld);
        try
        {
            var raw = handle.DangerousGetHandle();
            Inputs = ReadValueInfos(raw, inputs: true);
            Outputs = ReadValueInfos(raw, inputs: false);
        }
        catch
        {
            environment.Handle.DangerousRelease();
            throw;
        }

        _inputNames = [.. Inputs.Select(i => new Utf8Z(i.Name))];
        _outputNames = [.. Outputs.Select(o => new Utf8Z(o.Name))];
        _inputIndex = IndexOf(Inputs);
        _outputIndex = IndexOf(Outputs);
        _allOutputNames = [.. Outputs.Select(o => o.Name)];
    }

    /// <summary>The model's inputs, in declaration order.</summary>
    public IReadOnlyList<OnnxValueInfo> Inputs { get; }

    /// <summary>The model's outputs, in declaration order.</summary>
    public IReadOnlyList<OnnxValueInfo> Outputs { get; }

    /// <summary>The execution provider the session actually runs on (after any fallback).</summary>
    public OnnxExecutionProvider ExecutionProvider { get; }

    internal OrtSessionHandle Handle => _handle;

    /// <summary>Creates an IO binding for this session; see <see cref="OnnxIoBinding"/>.</summary>
    public OnnxIoBinding CreateIoBinding() => new(this);

    /// <summary>Releases the native session and this session's hold on the environment; safe to call more than once.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _handle.Dispose();
            _environment.Handle.DangerousRelease();
        }
    }

    internal static OnnxSession Create(OnnxEnvironment environment, SessionModel model, OnnxSessionOptions options)
    {
        ObjectDisposedException.ThrowIf(environment.Handle.IsClosed, environment);
        OrtSessionHandle? session = null;
        OnnxExecutionProvider provider;
        using (var native = SessionOptionsFactory.Create(
            environment, options, options.ExecutionProvider == OnnxExecutionProvider.Cuda, out provider))
        {
            try
            {
                session = Load(environment, model, native);
            }
            catch (OnnxRuntimeException ex) when (provider == OnnxExecutionProvider.Cuda)
            {
                // The provider library loaded but the session could not start on it (no device, driver mismatch).
                OnnxLog.CudaFallback(environment.Logger, ex.RuntimeMessage);
            }
        }

        if (session is null)
        {
            using var cpuOptions = SessionOptionsFactory.Create(environment, options, tryCuda: false, out provider);
            session = Load(environment, model, cpuOptions);
        }

        try
        {
            var result = new OnnxSession(environment, session, provider);
            OnnxLog.SessionCreated(environment.Logger, provider, result.Inputs, result.Outputs);
            return result;
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    private static OrtSessionHandle Load(OnnxEnvironment environment, SessionModel model, OrtSessionOptionsHandle options)
    {
        nint raw;
        var env = environment.Handle.DangerousGetHandle();
        if (model.Path is { } path)
        {
            var pathZ = new Utf8Z(path);
            OrtStatus.Check(OrtApi.CreateSession(env, pathZ.Pointer, options.DangerousGetHandle(), &raw));
            GC.KeepAlive(pathZ);
        }
        else
        {
            var bytes = model.Bytes.Span;
            fixed (byte* data = bytes)
            {
                OrtStatus.Check(OrtApi.CreateSessionFromArray(
                    env, data, (nuint)bytes.Length, options.DangerousGetHandle(), &raw));
            }
        }

        GC.KeepAlive(options);
        return new OrtSessionHandle(raw);
    }

    private static OnnxValueInfo[] ReadValueInfos(nint session, bool inputs)
    {
        nuint count;
        OrtStatus.Check(inputs ? OrtApi.SessionGetInputCount(session, &count) : OrtApi.SessionGetOutputCount(session, &count));
        var result = new OnnxValueInfo[(int)count];
        for (nuint i = 0; i < count; i++)
        {
            byte* name;
            OrtStatus.Check(inputs
                ? OrtApi.SessionGetInputName(session, i, OrtCpu.Allocator, &name)
                : OrtApi.SessionGetOutputName(session, i, OrtCpu.Allocator, &name));
            string managedName;
            try
            {
                managedName = Utf8Z.Read(name);
            }
            finally
            {
                OrtCpu.Free(name);
            }

            nint typeInfo;
            OrtStatus.Check(inputs
                ? OrtApi.SessionGetInputTypeInfo(session, i, &typeInfo)
                : OrtApi.SessionGetOutputTypeInfo(session, i, &typeInfo));
            using var owner = new OrtTypeInfoHandle(typeInfo);
            result[(int)i] = ReadValueInfo(managedName, typeInfo);
        }

        return result;
    }

    private static OnnxValueInfo ReadValueInfo(string name, nint typeInfo)
    {
        int valueType;
        OrtStatus.Check(OrtApi.GetOnnxTypeFromTypeInfo(typeInfo, &valueType));
        if ((OnnxValueType)valueType != OnnxValueType.Tensor)
        {
            return new OnnxValueInfo(name, (OnnxValueType)valueType, TensorElementType.Undefined, [], []);
        }

        nint tensorInfo; // owned by typeInfo
        OrtStatus.Check(OrtApi.CastTypeInfoToTensorInfo(typeInfo, &tensorInfo));
        var (elementType, shape) = TensorTypeAndShape.Read(tensorInfo);
        var symbolic = TensorTypeAndShape.ReadSymbolicDimensions(tensorInfo, shape.Length);
        return new OnnxValueInfo(name, OnnxValueType.Tensor, elementType, shape, symbolic);
    }

    private static Dictionary<string, int> IndexOf(IReadOnlyList<OnnxValueInfo> values)
    {
        var index = new Dictionary<string, int>(values.Count, StringComparer.Ordinal);
        for (var i = 0; i < values.Count; i++)
        {
            index[values[i].Name] = i;
        }

        return index;
    }
}

/// <summary>Where a model comes from: a file path or the bytes of the file.</summary>
internal readonly record struct SessionModel(string? Path, ReadOnlyMemory<byte> Bytes)
{
    public static SessionModel FromPath(string path) => new(path, default);

    public static SessionModel FromBytes(ReadOnlyMemory<byte> bytes) => new(null, bytes);
}
