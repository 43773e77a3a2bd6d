using System.Text;
using SpeechServe.Runtime.Tensors;

namespace SpeechServe.Export.Checkpoints;

/// <summary>
/// Writes checkpoints in the byte layout of TorchSharp's <c>Module.save</c>
/// (see <see cref="TorchSharpCheckpointReader"/>), entries in the order given, so that
/// TorchSharp's <c>Module.load</c> can read them into a module with the same state dict.
/// </summary>
public static class TorchSharpCheckpointWriter
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Writes a checkpoint to <paramref name="stream"/>.</summary>
    /// <exception cref="ArgumentException">Two tensors share a name.</exception>
    public static void Write(Stream stream, IEnumerable<NamedTensor> tensors)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var list = tensors.ToList();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var tensor in list)
        {
            if (!names.Add(tensor.Name))
            {
                throw new ArgumentException($"Tensor name '{tensor.Name}' is used twice.", nameof(tensors));
            }
        }

        WriteVarint(stream, (ulong)list.Count);
        foreach (var tensor in list)
        {
            var name = StrictUtf8.GetBytes(tensor.Name);
            WriteVarint(stream, (ulong)name.Length);
            stream.Write(name);
            WriteVarint(stream, (ulong)TorchSharpScalarTypes.ToCode(tensor.DType));
            WriteVarint(stream, (ulong)tensor.Rank);
            foreach (var dim in tensor.Shape)
            {
                WriteVarint(stream, (ulong)dim);
            }

            stream.Write(tensor.Data.Span);
        }
    }

    /// <summary>Writes a checkpoint into a new array.</summary>
    public static byte[] WriteToArray(IEnumerable<NamedTensor> tensors)
    {
        using var stream = new MemoryStream();
        Write(stream, tensors);
        return stream.ToArray();
    }

    /// <summary>Writes a checkpoint to <paramref name="path"/>, replacing any file there.</summary>
    public static void WriteFile(string path, IEnumerable<NamedTensor> tensors)
    {
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None);
        Write(stream, tensors);
    }

    private static void WriteVarint(Stream stream, ulong value)
    {
        Span<byte> buffer = stackalloc byte[Leb128.MaxBytes];
        stream.Write(buffer[..Leb128.Write(buffer, value)]);
    }
}
