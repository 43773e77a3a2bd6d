namespace SpeechServe.Runtime.Translation;

/// <summary>Greedy decoding: the most likely token each step (the lowest id on a tie), as the reference decoder does.</summary>
internal sealed class GreedySearch(int maxTokens) : SingleRowSearch(maxTokens)
{
    protected override int Choose(ReadOnlySpan<float> logits)
    {
        var best = 0;
        for (var v = 1; v < logits.Length; v++)
        {
            if (logits[v] > logits[best])
            {
                best = v;
            }
        }

        return best;
    }
}
