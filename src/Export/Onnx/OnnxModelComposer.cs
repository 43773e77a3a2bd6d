using SpeechServe.Export.Onnx.Proto;

namespace SpeechServe.Export.Onnx;

/// <summary>
/// Joins two models into one: the first model's outputs feed the second model's inputs of the same names.
/// The result takes the first model's inputs and the second model's chosen outputs (renamed if asked);
/// nodes and initializers (sparse ones too) that no chosen output depends on are dropped.
/// </summary>
public static class OnnxModelComposer
{
    /// <summary>Composes <paramref name="producer"/> into <paramref name="consumer"/>.</summary>
    /// <param name="producer">Must have one output named like each input of <paramref name="consumer"/>.</param>
    /// <param name="consumer">The model whose outputs are kept.</param>
    /// <param name="outputs">Consumer output name -&gt; name in the composed model, in output order.</param>
    /// <param name="producerPrefix">Prepended to the producer's internal value and node names, so they cannot collide with the consumer's.</param>
    /// <exception cref="ArgumentException">An input of the consumer has no producer output, or an output is not the consumer's.</exception>
    public static ModelProto Compose(
        ModelProto producer, ModelProto consumer, IReadOnlyList<KeyValuePair<string, string>> outputs, string producerPrefix)
    {
        ArgumentNullException.ThrowIfNull(producer);
        ArgumentNullException.ThrowIfNull(consumer);
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentException.ThrowIfNullOrEmpty(producerPrefix);

        var connections = consumer.Graph.Input.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        var produced = producer.Graph.Output.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        if (connections.FirstOrDefault(name => !produced.Contains(name)) is { } missing)
        {
            throw new ArgumentException($"The producer has no output '{missing}' for the consumer's input of that name.", nameof(producer));
        }

        var keepNames = producer.Graph.Input.Select(i => i.Name).Concat(connections).ToHashSet(StringComparer.Ordinal);
        string Rename(string name) => name.Length == 0 || keepNames.Contains(name) ? name : producerPrefix + name;

        var graph = new GraphProto { Name = consumer.Graph.Name, DocString = consumer.Graph.DocString };
        graph.Input.AddRange(producer.Graph.Input.Select(i => i.Clone()));
        foreach (var tensor in producer.Graph.Initializer)
        {
            var copy = tensor.Clone();
            copy.Name = Rename(copy.Name);
            graph.Initializer.Add(copy);
        }

        foreach (var tensor in producer.Graph.SparseInitializer)
        {
            var copy = tensor.Clone();
            copy.Values.Name = Rename(copy.Values.Name);
            graph.SparseInitializer.Add(copy);
        }

        foreach (var node in producer.Graph.Node)
        {
            var copy = node.Clone();
            copy.Name = producerPrefix + copy.Name;
            ReplaceAll(copy.Input, Rename);
            ReplaceAll(copy.Output, Rename);
            graph.Node.Add(copy);
        }

        graph.Initializer.AddRange(consumer.Graph.Initializer.Select(t => t.Clone()));
        graph.SparseInitializer.AddRange(consumer.Graph.SparseInitializer.Select(t => t.Clone()));
        graph.Node.AddRange(consumer.Graph.Node.Select(n => n.Clone()));
        foreach (var (from, to) in outputs)
        {
            var info = consumer.Graph.Output.FirstOrDefault(o => o.Name == from)
                ?? throw new ArgumentException($"The consumer has no output '{from}'.", nameof(outputs));
            var renamed = info.Clone();
            renamed.Name = to;
            if (to != from)
            {
                graph.Node.Add(new NodeProto { OpType = "Identity", Name = $"output_{to}", Input = { from }, Output = { to } });
            }

            graph.Output.Add(renamed);
        }

        RemoveUnused(graph);
        var model = new ModelProto
        {
            IrVersion = Math.Max(producer.IrVersion, consumer.IrVersion),
            ProducerName = consumer.ProducerName,
            ProducerVersion = consumer.ProducerVersion,
            DocString = consumer.DocString,
            Graph = graph,
        };
        model.OpsetImport.AddRange(producer.OpsetImport.Concat(consumer.OpsetImport)
            .GroupBy(o => o.Domain)
            .Select(g => new OperatorSetIdProto { Domain = g.Key, Version = g.Max(o => o.Version) }));
        return model;
    }

    /// <summary>Drops nodes whose outputs no graph output depends on, then initializers and sparse initializers no node reads.</summary>
    private static void RemoveUnused(GraphProto graph)
    {
        var needed = graph.Output.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        var kept = new List<NodeProto>();
        for (var i = graph.Node.Count - 1; i >= 0; i--)
        {
            var node = graph.Node[i];
            if (node.Output.Any(needed.Contains))
            {
                kept.Add(node);
                needed.UnionWith(node.Input);
                foreach (var attribute in node.Attribute.Where(a => a.G is not null))
                {
                    needed.UnionWith(attribute.G.Node.SelectMany(n => n.Input));
                }
            }
        }

        kept.Reverse();
        graph.Node.Clear();
        graph.Node.AddRange(kept);
        var initializers = graph.Initializer.Where(t => needed.Contains(t.Name)).ToList();
        graph.Initializer.Clear();
        graph.Initializer.AddRange(initializers);
        var sparse = graph.SparseInitializer.Where(t => needed.Contains(t.Values.Name)).ToList();
        graph.SparseInitializer.Clear();
        graph.SparseInitializer.AddRange(sparse);
    }

    private static void ReplaceAll(Google.Protobuf.Collections.RepeatedField<string> names, Func<string, string> rename)
    {
        for (var i = 0; i < names.Count; i++)
        {
            names[i] = rename(names[i]);
        }
    }
}
