using System.Globalization;
using SpeechServe.Runtime.Tests.Fixtures;
using SpeechServe.Runtime.Translation;

namespace SpeechServe.Runtime.Tests.Translation;

/// <summary><see cref="TranslationDecoder"/> over graphs the exporter wrote from a seeded random decoder.</summary>
[Collection(OnnxTestGroup.Name)]
public sealed class TranslationDecoderTests(OnnxFixture onnx, ExportedDecoderFixture decoders) : IClassFixture<ExportedDecoderFixture>
{
    [Fact]
    public void Decode_Greedy_CachedAndWithoutCacheGiveThePyTorchIds()
    {
        using var decoder = new TranslationDecoder(onnx.Sessions, decoders.Head);
        var maxTokens = int.Parse(decoders.Golden.Metadata["greedy_max_tokens"], CultureInfo.InvariantCulture);
        var golden = GoldenGreedyIds();

        var cached = decoder.Decode(GoldenUtterances(), [new() { MaxTokens = maxTokens }, new() { MaxTokens = maxTokens }]);
        var withoutCache = decoder.DecodeGreedyWithoutCache(GoldenUtterances(), maxTokens);

        Assert.Equal(golden, cached.Select(r => r.TokenIds));
        Assert.Equal(golden, withoutCache.Select(r => r.TokenIds));
        Assert.Equal(decoders.Head.Vocabulary.Decode(golden[0]), cached[0].Text);
    }

    [Fact]
    public void Decode_BeamWidthOne_EqualsGreedy()
    {
        using var decoder = new TranslationDecoder(onnx.Sessions, decoders.Head);

        var greedy = decoder.Decode(GoldenUtterances(), [new(), new()]);
        var beam = decoder.Decode(GoldenUtterances(), [new() { BeamWidth = 1, LengthPenalty = 1.5 }, new() { BeamWidth = 1, LengthPenalty = 1.5 }]);

        Assert.Equal(greedy, beam, (a, b) => a.TokenIds.SequenceEqual(b.TokenIds));
    }

    [Fact]
    public void Decode_BatchOfDifferentLengthsAndSearches_EachEqualsItsDecodingAlone()
    {
        using var decoder = new TranslationDecoder(onnx.Sessions, decoders.Head);
        float[][] utterances = [RandomEncoderOutput(31, seed: 1), RandomEncoderOutput(9, seed: 2), RandomEncoderOutput(17, seed: 3)];
        TranslationDecodingOptions[] searches = [new() { BeamWidth = 4 }, new(), new() { BeamWidth = 3, LengthPenalty = 0 }];

        var together = decoder.Decode(utterances, searches);

        for (var i = 0; i < utterances.Length; i++)
        {
            var alone = decoder.Decode([utterances[i]], [searches[i]]);
            Assert.Equal(alone[0].TokenIds, together[i].TokenIds);
        }
    }

    [Fact]
    public void Decode_BeamSearch_ScoresAtLeastAsWellAsGreedy()
    {
        using var decoder = new TranslationDecoder(onnx.Sessions, decoders.Head);
        var utterances = Enumerable.Range(0, 4).Select(seed => RandomEncoderOutput(12 + (5 * seed), seed)).ToArray();

        var greedy = decoder.Decode(utterances, [.. utterances.Select(_ => new TranslationDecodingOptions())]);
        var beam = decoder.Decode(utterances, [.. utterances.Select(_ => new TranslationDecodingOptions { BeamWidth = 4, LengthPenalty = 0 })]);

        for (var i = 0; i < utterances.Length; i++)
        {
            var greedyScore = SequenceLogProbability(decoder, utterances[i], greedy[i].TokenIds);
            var beamScore = SequenceLogProbability(decoder, utterances[i], beam[i].TokenIds);
            Assert.True(beamScore >= greedyScore - 1e-4, $"utterance {i}: beam {beamScore:F4} < greedy {greedyScore:F4}");
        }
    }

    [Fact]
    public void Constructor_VocabularyOfAnotherSize_ThrowsInvalidData()
    {
        var mismatched = decoders.Head with { Vocabulary = decoders.OtherHead.Vocabulary };

        var error = Assert.Throws<InvalidDataException>(() => new TranslationDecoder(onnx.Sessions, mismatched));

        Assert.Contains("vocabulary", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_GraphsSwapped_ThrowsNamingTheMissingValues()
    {
        var swapped = decoders.Head with { CrossGraph = decoders.Head.StepGraph, StepGraph = decoders.Head.CrossGraph };

        var error = Assert.Throws<InvalidDataException>(() => new TranslationDecoder(onnx.Sessions, swapped));

        Assert.Contains("decoder_cross.onnx lacks encoder_out", error.Message, StringComparison.Ordinal);
    }

    /// <summary>sum log p of <paramref name="tokens"/> then <c>&lt;/s&gt;</c>, scored by the no-cache path's graph.</summary>
    private static double SequenceLogProbability(TranslationDecoder decoder, float[] utterance, IReadOnlyList<int> tokens)
    {
        var search = new ForcedSearch([.. tokens, TranslationVocabulary.Eos]);
        decoder.Decode([utterance], [search], useCache: false);
        return search.LogProbability;
    }

    private float[][] GoldenUtterances()
    {
        var encoderOut = decoders.Golden.Tensors["encoder_out"];
        var lengths = decoders.Golden.Tensors["encoder_lengths"].AsSpan<long>().ToArray();
        var (frames, d) = ((int)encoderOut.Shape[1], (int)encoderOut.Shape[2]);
        var values = encoderOut.ToFloat32();
        return [.. Enumerable.Range(0, lengths.Length).Select(b => values.AsSpan(b * frames * d, (int)lengths[b] * d).ToArray())];
    }

    private int[][] GoldenGreedyIds()
    {
        var ids = decoders.Golden.Tensors["greedy.ids"];
        var width = (int)ids.Shape[1];
        var values = ids.AsSpan<long>().ToArray();
        return [.. Enumerable.Range(0, (int)ids.Shape[0]).Select(b => values.Skip(b * width).Take(width).TakeWhile(id => id >= 0).Select(id => (int)id).ToArray())];
    }

    private float[] RandomEncoderOutput(int frames, int seed)
    {
        var random = new Random(seed);
        var d = (int)decoders.Golden.Tensors["encoder_out"].Shape[2];
        return [.. Enumerable.Range(0, frames * d).Select(_ => (float)((random.NextDouble() * 4) - 2))];
    }

    /// <summary>Feeds a fixed sequence and sums its log-probabilities.</summary>
    private sealed class ForcedSearch(int[] sequence) : TokenSearch(1, sequence.Length)
    {
        private int _position;

        public double LogProbability { get; private set; }

        public override IReadOnlyList<int> Tokens => sequence;

        public override void Advance(ReadOnlySpan<float> logits, int vocabularySize, Span<long> nextTokens, Span<int> sourceRows)
        {
            var row = logits[..vocabularySize];
            var max = double.NegativeInfinity;
            foreach (var logit in row)
            {
                max = Math.Max(max, logit);
            }

            var logSum = 0.0;
            foreach (var logit in row)
            {
                logSum += Math.Exp(logit - max);
            }

            var token = sequence[_position++];
            LogProbability += row[token] - max - Math.Log(logSum);
            IsFinished = _position == sequence.Length;
            nextTokens[0] = token;
            sourceRows[0] = 0;
        }
    }
}
