using Google.Protobuf;
using SpeechServe.Export.Onnx.Proto;

namespace SpeechServe.Export.Onnx;

/// <summary>
/// Builds one ONNX model: typed graph inputs and outputs, initializers, nodes with attributes,
/// operator set imports and model metadata. Node and value names are generated and kept unique;
/// every node input must already be a value of this graph, so nodes are added in topological order.
/// </summary>
/// <remarks>
/// Thin operator helpers (<see cref="MatMul"/>, <see cref="Conv"/>, ...) live in the other part of
/// this class; anything else goes through <see cref="Node(string, ReadOnlySpan{GraphValue}, ReadOnlySpan{AttributeProto}, int, string)"/>.
/// </remarks>
public sealed partial class OnnxGraphBuilder
{
    /// <summary>The default-domain operator set a new builder imports.</summary>
    public const long DefaultOpsetVersion = 17;

    /// <summary>The IR version a new builder writes: IR 8, the one that goes with operator set 17.</summary>
    public const long DefaultIrVersion = 8;

    private readonly GraphProto _graph;
    private readonly HashSet<string> _valueNames = new(StringComparer.Ordinal);
    private readonly HashSet<string> _nodeNames = new(StringComparer.Ordinal);
    private readonly HashSet<string> _outputNames = new(StringComparer.Ordinal);
    private readonly List<OperatorSetIdProto> _opsets = [];
    private readonly List<StringStringEntryProto> _metadata = [];
    private int _nextId;

    /// <summary>Starts an empty graph that imports the default domain at <paramref name="opsetVersion"/>.</summary>
    /// <param name="graphName">The graph's name.</param>
    /// <param name="opsetVersion">Version of the default (<c>ai.onnx</c>) operator set.</param>
    public OnnxGraphBuilder(string graphName = "main", long opsetVersion = DefaultOpsetVersion)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(graphName);
        _graph = new GraphProto { Name = graphName };
        ImportOpset(string.Empty, opsetVersion);
    }

    /// <summary>The ONNX IR version written into the model.</summary>
    public long IrVersion { get; set; } = DefaultIrVersion;

    /// <summary>The tool that produced the model.</summary>
    public string ProducerName { get; set; } = "speechserve-export";

    /// <summary>The producing tool's version; not written when empty.</summary>
    public string ProducerVersion { get; set; } = string.Empty;

    /// <summary>Reverse-DNS name space of the model; not written when empty.</summary>
    public string Domain { get; set; } = string.Empty;

    /// <summary>The model's own version number; not written when zero.</summary>
    public long ModelVersion { get; set; }

    /// <summary>Human-readable description of the model; not written when empty.</summary>
    public string DocString { get; set; } = string.Empty;

    /// <summary>Imports an operator set, or changes the version of one already imported.</summary>
    /// <param name="domain">The domain; empty for the default <c>ai.onnx</c> domain.</param>
    /// <param name="version">The operator set version.</param>
    public void ImportOpset(string domain, long version)
    {
        ArgumentNullException.ThrowIfNull(domain);
        ArgumentOutOfRangeException.ThrowIfLessThan(version, 1);
        _opsets.RemoveAll(o => o.Domain == domain);
        _opsets.Add(new OperatorSetIdProto { Domain = domain, Version = version });
    }

    /// <summary>Sets a <c>metadata_props</c> entry, replacing an earlier value for the same key.</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The value.</param>
    public void SetMetadata(string key, string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        ArgumentNullException.ThrowIfNull(value);
        _metadata.RemoveAll(e => e.Key == key);
        _metadata.Add(new StringStringEntryProto { Key = key, Value = value });
    }

    /// <summary>Declares a graph input.</summary>
    /// <param name="name">The input's name, as callers will feed it.</param>
    /// <param name="type">Element type.</param>
    /// <param name="dims">Shape: fixed sizes and symbolic names, e.g. <c>["batch", 80]</c>.</param>
    /// <returns>The input, to use as a node input.</returns>
    public GraphValue Input(string name, ElementType type, ReadOnlySpan<Dimension> dims)
    {
        ClaimValueName(name);
        _graph.Input.Add(TensorValueInfo(name, type, dims));
        return new GraphValue(name);
    }

    /// <summary>
    /// Declares a graph output. With a <paramref name="name"/> other than the value's own, an
    /// <c>Identity</c> node gives the output that name.
    /// </summary>
    /// <param name="value">The value to expose.</param>
    /// <param name="type">Element type.</param>
    /// <param name="dims">Shape: fixed sizes and symbolic names.</param>
    /// <param name="name">Output name; by default the value's own name.</param>
    /// <returns>The output value.</returns>
    public GraphValue Output(GraphValue value, ElementType type, ReadOnlySpan<Dimension> dims, string? name = null)
    {
        RequireValue(value);
        if (name is not null && name != value.Name)
        {
            value = Node("Identity", [value], [], 1, string.Empty, name)[0];
        }

        if (!_outputNames.Add(value.Name))
        {
            throw new ArgumentException($"'{value.Name}' is already a graph output.", nameof(value));
        }

        _graph.Output.Add(TensorValueInfo(value.Name, type, dims));
        return value;
    }

    /// <summary>Adds a float initializer (a constant weight tensor).</summary>
    /// <param name="name">The initializer's name, e.g. the checkpoint's parameter name.</param>
    /// <param name="values">Elements in row-major order.</param>
    /// <param name="dims">Shape; empty for a scalar.</param>
    public GraphValue Initializer(string name, ReadOnlySpan<float> values, ReadOnlySpan<long> dims) =>
        Initializer(TensorProtos.FromFloats(name, values, dims));

    /// <summary>Adds a 64-bit integer initializer, e.g. a shape or indices.</summary>
    /// <param name="name">The initializer's name.</param>
    /// <param name="values">Elements in row-major order.</param>
    /// <param name="dims">Shape; empty for a scalar.</param>
    public GraphValue Initializer(string name, ReadOnlySpan<long> values, ReadOnlySpan<long> dims) =>
        Initializer(TensorProtos.FromInt64s(name, values, dims));

    /// <summary>Adds an initializer built elsewhere (see <see cref="TensorProtos"/>); it is copied.</summary>
    /// <param name="tensor">The tensor; its name becomes the value's name.</param>
    public GraphValue Initializer(TensorProto tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        ClaimValueName(tensor.Name);
        _graph.Initializer.Add(tensor.Clone());
        return new GraphValue(tensor.Name);
    }

    /// <summary>Adds a one-dimensional int64 initializer under a generated name, e.g. a target shape.</summary>
    /// <param name="values">The elements.</param>
    public GraphValue Int64Constant(params ReadOnlySpan<long> values) =>
        Initializer(FreeName(_valueNames, "const"), values, [values.Length]);

    /// <summary>Adds a node with one output in the default domain.</summary>
    /// <param name="opType">Operator, e.g. <c>"Relu"</c>.</param>
    /// <param name="inputs">Inputs in the operator's order; <see cref="GraphValue.Absent"/> skips an optional one.</param>
    /// <param name="attributes">Attributes; see <see cref="OnnxAttributes"/>.</param>
    /// <returns>The node's output.</returns>
    public GraphValue Node(string opType, ReadOnlySpan<GraphValue> inputs, params ReadOnlySpan<AttributeProto> attributes) =>
        Node(opType, inputs, attributes, 1)[0];

    /// <summary>Adds a node with any number of outputs, in any domain.</summary>
    /// <param name="opType">Operator, e.g. <c>"Split"</c>.</param>
    /// <param name="inputs">Inputs in the operator's order; <see cref="GraphValue.Absent"/> skips an optional one.</param>
    /// <param name="attributes">Attributes; see <see cref="OnnxAttributes"/>. They are copied.</param>
    /// <param name="outputCount">How many outputs the node has.</param>
    /// <param name="domain">Operator set domain; empty for <c>ai.onnx</c>. Import it with <see cref="ImportOpset"/>.</param>
    /// <returns>The node's outputs, named <c>{node}_output_{i}</c>.</returns>
    public IReadOnlyList<GraphValue> Node(
        string opType,
        ReadOnlySpan<GraphValue> inputs,
        ReadOnlySpan<AttributeProto> attributes,
        int outputCount,
        string domain = "") =>
        Node(opType, inputs, attributes, outputCount, domain, outputName: null);

    /// <summary>The model as a protobuf message; a snapshot that later changes to the builder do not affect.</summary>
    public ModelProto Build()
    {
        if (_graph.Output.Count == 0)
        {
            throw new InvalidOperationException("The graph has no outputs; declare them with Output().");
        }

        var model = new ModelProto { IrVersion = IrVersion, ProducerName = ProducerName, Graph = _graph.Clone() };
        if (ProducerVersion.Length > 0)
        {
            model.ProducerVersion = ProducerVersion;
        }

        if (Domain.Length > 0)
        {
            model.Domain = Domain;
        }

        if (ModelVersion != 0)
        {
            model.ModelVersion = ModelVersion;
        }

        if (DocString.Length > 0)
        {
            model.DocString = DocString;
        }

        model.OpsetImport.AddRange(_opsets.Select(o => o.Clone()));
        model.MetadataProps.AddRange(_metadata.Select(e => e.Clone()));
        return model;
    }

    /// <summary>The serialized model with every initializer inline (models under 2 GiB).</summary>
    public byte[] ToBytes() => Build().ToByteArray();

    /// <summary>Writes the model to <paramref name="path"/>; see <see cref="OnnxModelFile.Save"/>.</summary>
    /// <param name="path">The <c>.onnx</c> file to write.</param>
    /// <param name="externalData">Where large initializers go; <see langword="null"/> keeps all of them inline.</param>
    public void Save(string path, ExternalDataOptions? externalData = null) =>
        OnnxModelFile.Save(Build(), path, externalData);

    private List<GraphValue> Node(
        string opType,
        ReadOnlySpan<GraphValue> inputs,
        ReadOnlySpan<AttributeProto> attributes,
        int outputCount,
        string domain,
        string? outputName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(opType);
        ArgumentNullException.ThrowIfNull(domain);
        ArgumentOutOfRangeException.ThrowIfLessThan(outputCount, 1);
        if (!_opsets.Exists(o => o.Domain == domain))
        {
            throw new InvalidOperationException($"Operator set domain '{domain}' is not imported; call ImportOpset first.");
        }

        // A generated node name must also leave its generated output names free.
        string nodeName;
        do
        {
            nodeName = FreeName(_nodeNames, opType);
        }
        while (outputName is null && Enumerable.Range(0, outputCount).Any(i => _valueNames.Contains(OutputName(nodeName, i))));

        _nodeNames.Add(nodeName);
        var node = new NodeProto { OpType = opType, Name = nodeName };
        if (domain.Length > 0)
        {
            node.Domain = domain;
        }

        foreach (var input in inputs)
        {
            if (!input.IsAbsent)
            {
                RequireValue(input);
            }

            node.Input.Add(input.Name ?? string.Empty);
        }

        foreach (var attribute in attributes)
        {
            ArgumentNullException.ThrowIfNull(attribute, nameof(attributes));
            if (node.Attribute.Any(a => a.Name == attribute.Name))
            {
                throw new ArgumentException($"{opType}: attribute '{attribute.Name}' is given twice.", nameof(attributes));
            }

            node.Attribute.Add(attribute.Clone());
        }

        var outputs = new List<GraphValue>(outputCount);
        for (var i = 0; i < outputCount; i++)
        {
            var name = outputName ?? OutputName(nodeName, i);
            ClaimValueName(name);
            node.Output.Add(name);
            outputs.Add(new GraphValue(name));
        }

        _graph.Node.Add(node);
        return outputs;
    }

    private static string OutputName(string nodeName, int index) => $"{nodeName}_output_{index}";

    private void ClaimValueName(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (!_valueNames.Add(name))
        {
            throw new ArgumentException($"The graph already has a value named '{name}'.", nameof(name));
        }
    }

    private void RequireValue(GraphValue value)
    {
        if (value.IsAbsent || !_valueNames.Contains(value.Name))
        {
            throw new ArgumentException($"'{value.Name}' is not a value of this graph.", nameof(value));
        }
    }

    private string FreeName(HashSet<string> taken, string prefix)
    {
        string name;
        do
        {
            name = $"{prefix}_{_nextId++}";
        }
        while (taken.Contains(name));

        return name;
    }

    private static ValueInfoProto TensorValueInfo(string name, ElementType type, ReadOnlySpan<Dimension> dims)
    {
        var shape = new TensorShapeProto();
        foreach (var dim in dims)
        {
            var d = new TensorShapeProto.Types.Dimension();
            if (dim.Symbol is { } symbol)
            {
                d.DimParam = symbol;
            }
            else
            {
                d.DimValue = dim.Size ?? throw new ArgumentException("A dimension must be fixed or symbolic.", nameof(dims));
            }

            shape.Dim.Add(d);
        }

        var tensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape };
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = tensorType } };
    }
}
