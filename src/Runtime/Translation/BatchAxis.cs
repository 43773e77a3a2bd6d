namespace SpeechServe.Runtime.Translation;

/// <summary>Gathers along the batch axis of a row-major tensor <c>[outer, batch, inner...]</c>.</summary>
internal static class BatchAxis
{
    /// <summary>
    /// <c>result[o, r] = source[o, indices[r]]</c> for a source of <paramref name="sourceBatch"/> rows of
    /// <paramref name="rowSize"/> elements under <paramref name="outer"/> leading slices.
    /// </summary>
    public static T[] Gather<T>(ReadOnlySpan<T> source, int outer, int sourceBatch, int rowSize, ReadOnlySpan<int> indices)
    {
        if (source.Length != (long)outer * sourceBatch * rowSize)
        {
            throw new ArgumentException($"The source holds {source.Length} elements, not {outer} x {sourceBatch} x {rowSize}.", nameof(source));
        }

        var result = new T[outer * indices.Length * rowSize];
        for (var o = 0; o < outer; o++)
        {
            for (var r = 0; r < indices.Length; r++)
            {
                source.Slice(((o * sourceBatch) + indices[r]) * rowSize, rowSize).CopyTo(result.AsSpan(((o * indices.Length) + r) * rowSize, rowSize));
            }
        }

        return result;
    }

    /// <summary>Whether <paramref name="indices"/> is <c>0, 1, 2, ...</c>.</summary>
    public static bool IsIdentity(ReadOnlySpan<int> indices)
    {
        for (var i = 0; i < indices.Length; i++)
        {
            if (indices[i] != i)
            {
                return false;
            }
        }

        return true;
    }
}
