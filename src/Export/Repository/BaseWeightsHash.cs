using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using SpeechServe.Runtime.Tensors;

namespace SpeechServe.Export.Repository;

/// <summary>
/// The identity of a base model's weights, independent of the checkpoint format and of any adapters
/// stored beside them: SHA-256 over the base tensors (every name outside <c>adapters.*</c>) in ordinal
/// name order, each contributing <c>name \n dtype \n dim,dim,... \n</c> (UTF-8, dtype as the
/// safetensors name) followed by its raw little-endian element bytes. Adapter packages record it as
/// <c>base_sha256</c>; the same weights saved as TorchSharp or safetensors hash the same.
/// </summary>
public static class BaseWeightsHash
{
    /// <summary>Hashes the base tensors of <paramref name="tensors"/>.</summary>
    public static string Compute(TensorMap tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var tensor in tensors
            .Where(t => !t.Name.StartsWith("adapters.", StringComparison.Ordinal))
            .OrderBy(t => t.Name, StringComparer.Ordinal))
        {
            var dims = string.Join(',', tensor.Shape.Select(d => d.ToString(CultureInfo.InvariantCulture)));
            hash.AppendData(Encoding.UTF8.GetBytes($"{tensor.Name}\n{SafetensorsDTypes.ToName(tensor.DType)}\n{dims}\n"));
            hash.AppendData(tensor.Data.Span);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
