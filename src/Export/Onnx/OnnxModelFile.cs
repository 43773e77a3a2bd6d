using System.Globalization;
using Google.Protobuf;
using SpeechServe.Export.Onnx.Proto;

namespace SpeechServe.Export.Onnx;

/// <summary>Writes ONNX models to disk, optionally with their large initializers in an external data file.</summary>
public static class OnnxModelFile
{
    /// <summary>
    /// Writes <paramref name="model"/> to <paramref name="path"/>. With <paramref name="externalData"/>,
    /// every graph initializer held in <c>raw_data</c> of at least the threshold size is written to one
    /// data file beside the model instead (<c>data_location = EXTERNAL</c>, with <c>location</c>,
    /// <c>offset</c> and <c>length</c> entries); <paramref name="model"/> itself is not changed.
    /// Each file is written under a temporary name and then renamed into place.
    /// </summary>
    /// <param name="model">The model.</param>
    /// <param name="path">The <c>.onnx</c> file to write.</param>
    /// <param name="externalData">Where large initializers go; <see langword="null"/> keeps all of them inline.</param>
    /// <returns>The number of initializers written to the data file.</returns>
    public static int Save(ModelProto model, string path, ExternalDataOptions? externalData = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var moved = 0;
        if (externalData is not null && model.Graph is not null)
        {
            model = model.Clone();
            moved = MoveToDataFile(model.Graph, path, externalData);
        }

        WriteAtomically(path, stream => model.WriteTo(stream));
        return moved;
    }

    private static int MoveToDataFile(GraphProto graph, string modelPath, ExternalDataOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(options.ThresholdBytes, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Alignment, 1, nameof(options));
        var fileName = options.FileName ?? Path.GetFileName(modelPath) + ".data";
        if (fileName.Length == 0 || fileName != Path.GetFileName(fileName) || fileName is "." or "..")
        {
            throw new ArgumentException($"External data file name '{fileName}' must be a plain file name.", nameof(options));
        }

        var large = graph.Initializer
            .Where(t => t.HasRawData && t.RawData.Length >= options.ThresholdBytes && t.RawData.Length > 0)
            .ToList();
        if (large.Count == 0)
        {
            return 0;
        }

        var dataPath = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(modelPath))!, fileName);
        WriteAtomically(dataPath, stream =>
        {
            foreach (var tensor in large)
            {
                var padding = (options.Alignment - (stream.Position % options.Alignment)) % options.Alignment;
                stream.Write(new byte[padding]);
                var offset = stream.Position;
                tensor.RawData.WriteTo(stream);
                PointToDataFile(tensor, fileName, offset);
            }
        });
        return large.Count;
    }

    private static void PointToDataFile(TensorProto tensor, string fileName, long offset)
    {
        var length = tensor.RawData.Length;
        tensor.ClearRawData();
        tensor.DataLocation = TensorProto.Types.DataLocation.External;
        tensor.ExternalData.Clear();
        tensor.ExternalData.Add(Entry("location", fileName));
        tensor.ExternalData.Add(Entry("offset", offset.ToString(CultureInfo.InvariantCulture)));
        tensor.ExternalData.Add(Entry("length", length.ToString(CultureInfo.InvariantCulture)));
    }

    private static StringStringEntryProto Entry(string key, string value) => new() { Key = key, Value = value };

    private static void WriteAtomically(string path, Action<Stream> write)
    {
        var temporary = path + ".tmp";
        try
        {
            using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }
}
