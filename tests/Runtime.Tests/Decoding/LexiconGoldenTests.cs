using System.Text.Json;
using SpeechServe.Runtime.Decoding;
using SpeechServe.Tests.Support;

namespace SpeechServe.Runtime.Tests.Decoding;

/// <summary>
/// Parity with the training recipes' implementation of docs/decoding.md: LexiconGolden/cases.json holds
/// log-probabilities of real utterances (written by training/dump_lexicon_golden.py) and the text that
/// training/speechfm/lexicon_decoder.py decodes from them; the server's search must give the same text.
/// </summary>
public sealed class LexiconGoldenTests
{
    private static readonly Lazy<Golden> Cases = new(Golden.Load);

    public static TheoryData<string> CaseNames()
    {
        var names = new TheoryData<string>();
        foreach (var name in Cases.Value.Cases.Keys)
        {
            names.Add(name);
        }

        return names;
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Decode_GoldenCase_GivesThePythonImplementationsText(string name)
    {
        var golden = Cases.Value;
        var (logProbs, expected) = golden.Cases[name];

        var hypothesis = golden.Search.Decode(logProbs, golden.Vocabulary.Count);

        Assert.Equal(expected, golden.Vocabulary.Detokenize(hypothesis.TokenIds));
    }

    [Fact]
    public void Golden_Cases_IncludeOnesWhereTheLanguageModelChangesGreedyText()
    {
        var golden = Cases.Value;

        var changed = golden.Cases.Values.Count(c => golden.Vocabulary.Detokenize(GreedyCtcDecoder.Decode(c.LogProbs, golden.Vocabulary.Count).TokenIds) != c.Expected);

        Assert.True(changed >= 3, $"only {changed} golden cases differ from greedy decoding");
    }

    private sealed record Golden(LexiconBeamSearch Search, TokenVocabulary Vocabulary, Dictionary<string, (float[] LogProbs, string Expected)> Cases)
    {
        public static Golden Load()
        {
            var directory = Path.Combine(TrainingScripts.RepositoryRoot, "tests", "Runtime.Tests", "Decoding", "LexiconGolden");
            using var document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(directory, "cases.json")));
            var root = document.RootElement;
            var vocabulary = TokenVocabulary.FromTokens(root.GetProperty("vocabulary").EnumerateArray().Select(t => t.GetString()!));
            var arpa = ArpaReader.Load(Path.Combine(TrainingScripts.RepositoryRoot, root.GetProperty("lm").GetString()!));
            var languageModel = new LexiconLanguageModel(arpa, vocabulary, root.GetProperty("weight").GetDouble(), root.GetProperty("word_bonus").GetDouble());
            var search = new LexiconBeamSearch(languageModel, root.GetProperty("beam_width").GetInt32());
            var cases = new Dictionary<string, (float[], string)>(StringComparer.Ordinal);
            foreach (var item in root.GetProperty("cases").EnumerateArray())
            {
                var logProbs = item.GetProperty("log_probs").EnumerateArray().Select(v => v.GetSingle()).ToArray();
                Assert.Equal(item.GetProperty("frames").GetInt32() * vocabulary.Count, logProbs.Length);
                cases.Add(item.GetProperty("name").GetString()!, (logProbs, item.GetProperty("expected").GetString()!));
            }

            return new Golden(search, vocabulary, cases);
        }
    }
}
