using SpeechServe.Export.Onnx;

namespace SpeechServe.Export.Encoder;

/// <summary>
/// The chunk attention mask (docs/model.md, "Chunk mask"), built once per call from the shapes and
/// lengths and shared by every layer. Query <c>i</c> is in chunk <c>c = i // C</c>; key <c>j</c> over
/// <c>concat(cache, current)</c> has relative position <c>r = j - L</c>. Visible iff
/// <c>c*C - L &lt;= r &lt; (c+1)*C</c> and the key is valid: <c>-cache_len[b] &lt;= r &lt; 0</c> or
/// <c>0 &lt;= r &lt; len[b] // 4</c>.
/// </summary>
internal static class ChunkMaskGraph
{
    /// <summary>Builds the mask.</summary>
    /// <param name="c">The graph context.</param>
    /// <param name="frames">The call's encoder frames Tq, an int64 scalar.</param>
    /// <param name="lengths">Valid encoder frames per element, <c>[B]</c> int64.</param>
    /// <param name="cacheLength">Valid cache frames per element, <c>[B]</c> int64.</param>
    /// <returns>Visibility <c>[B, 1, Tq, L + Tq]</c> (bool), broadcast over heads.</returns>
    public static GraphValue Build(EncoderGraphContext c, GraphValue frames, GraphValue lengths, GraphValue cacheLength)
    {
        var g = c.Graph;
        long chunk = c.Architecture.ChunkFrames, left = c.Architecture.LeftContextFrames;
        var zero = c.Int64Scalar("mask.zero", 0);
        var one = c.Int64Scalar("mask.one", 1);
        var chunkSize = c.Int64Scalar("mask.chunk_frames", chunk);

        var queryChunk = g.Div(g.Range(zero, frames, one), chunkSize); // [Tq]
        var chunkStart = g.Mul(queryChunk, chunkSize);
        var windowStart = g.Unsqueeze(g.Sub(chunkStart, c.Int64Scalar("mask.left_context", left)), 1); // [Tq, 1]
        var windowEnd = g.Unsqueeze(g.Add(chunkStart, chunkSize), 1);
        var relative = g.Range(c.Int64Scalar("mask.first_key", -left), frames, one); // [Tk]
        var inWindow = g.And(g.GreaterOrEqual(relative, windowStart), g.Less(relative, windowEnd)); // [Tq, Tk]

        var isCache = g.Less(relative, zero); // [Tk]
        var validCache = g.And(isCache, g.GreaterOrEqual(relative, g.Unsqueeze(g.Neg(cacheLength), 1))); // [B, Tk]
        var validCurrent = g.And(g.GreaterOrEqual(relative, zero), g.Less(relative, g.Unsqueeze(lengths, 1)));
        var valid = g.Unsqueeze(g.Or(validCache, validCurrent), 1, 2); // [B, 1, 1, Tk]
        return g.And(inWindow, valid);
    }
}
