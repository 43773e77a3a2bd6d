namespace SpeechServe.Runtime.Translation;

/// <summary>Sampling: each token drawn from <c>softmax(logits / temperature)</c>.</summary>
internal sealed class SamplingSearch : SingleRowSearch
{
    private readonly double _temperature;
    private readonly Random _random;
    private double[] _weights = [];

    public SamplingSearch(int maxTokens, double temperature, Random random)
        : base(maxTokens)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(temperature);
        ArgumentNullException.ThrowIfNull(random);
        _temperature = temperature;
        _random = random;
    }

    protected override int Choose(ReadOnlySpan<float> logits)
    {
        if (_weights.Length != logits.Length)
        {
            _weights = new double[logits.Length];
        }

        // Shifted by the maximum so the largest weight is exp(0) = 1: no overflow at any temperature.
        var max = double.NegativeInfinity;
        foreach (var logit in logits)
        {
            max = Math.Max(max, logit);
        }

        var total = 0.0;
        for (var v = 0; v < logits.Length; v++)
        {
            _weights[v] = Math.Exp((logits[v] - max) / _temperature);
            total += _weights[v];
        }

        var threshold = _random.NextDouble() * total;
        for (var v = 0; v < logits.Length; v++)
        {
            threshold -= _weights[v];
            if (threshold < 0)
            {
                return v;
            }
        }

        // Rounding left a sliver above the last weight: take the last token with any weight.
        return Array.FindLastIndex(_weights, w => w > 0);
    }
}
