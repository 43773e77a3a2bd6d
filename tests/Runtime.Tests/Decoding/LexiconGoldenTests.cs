using System.Text.Json;
using SpeechServe.Runtime.Decoding;
using SpeechServe.Tests.Support;

namespace SpeechServe.Runtime.Tests.Decoding;

/// <summary>
/// Parity with the training recipes' implementation of docs/decoding.md: LexiconGolden/cases.json holds
/// log-probabilities of real utterances (written by training/dump_lexicon_golden.py) and the text that
/// training/speechfm/lexicon_decoder.py decodes from them; the server's search must give the same text.
/// LexiconGolden/unknown_words.json holds the same utterances and a spelled word outside the lexicon, decoded
/// with the unknown-word path on.
/// </summary>
public sealed class LexiconGoldenTests
{
    private const string LexiconOnly = "cases.json";
    private const string UnknownWords = "unknown_words.json";

    private static readonly Dictionary<string, Lazy<Golden>> Files = new(StringComparer.Ordinal)
    {
        [LexiconOnly] = new(() => Golden.Load(LexiconOnly)),
        [UnknownWords] = new(() => Golden.Load(UnknownWords)),
    };

    public static TheoryData<string, string> CaseNames()
    {
        var names = new TheoryData<string, string>();
        foreach (var (file, golden) in Files)
        {
            foreach (var name in golden.Value.Cases.Keys)
            {
                names.Add(file, name);
            }
        }

        return names;
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Decode_GoldenCase_GivesThePythonImplementationsText(string file, string name)
    {
        var golden = Files[file].Value;
        var (logProbs, expected) = golden.Cases[name];

        var hypothesis = golden.Search.Decode(logProbs, golden.Vocabulary.Count);

        Assert.Equal(expected, golden.Vocabulary.Detokenize(hypothesis.TokenIds));
    }

    [Fact]
    public void Golden_Cases_IncludeOnesWhereTheLanguageModelChangesGreedyText()
    {
        var golden = Files[LexiconOnly].Value;

        var changed = golden.Cases.Values.Count(c => golden.Vocabulary.Detokenize(GreedyCtcDecoder.Decode(c.LogProbs, golden.Vocabulary.Count).TokenIds) != c.Expected);

        Assert.True(changed >= 3, $"only {changed} golden cases differ from greedy decoding");
    }

    [Fact]
    public void Golden_UnknownWordCases_IncludeWordsOutsideTheLexiconAndASpelledOneKept()
    {
        var golden = Files[UnknownWords].Value;
        var lexicon = golden.Search.LanguageModel.LanguageModel.Words.ToHashSet(StringComparer.Ordinal);
        var outside = golden.Cases.Values.Count(c => c.Expected.Split(' ').Any(w => !lexicon.Contains(w)));

        Assert.NotNull(golden.Search.LanguageModel.UnknownWords);
        Assert.True(outside >= 3, $"only {outside} golden cases keep a word outside the lexicon");
        Assert.Contains(golden.Cases, c => c.Key.StartsWith("spelled/", StringComparison.Ordinal) && c.Value.Expected.Contains(c.Key["spelled/".Length..], StringComparison.Ordinal));
    }

    private sealed record Golden(LexiconBeamSearch Search, TokenVocabulary Vocabulary, Dictionary<string, (float[] LogProbs, string Expected)> Cases)
    {
        public static Golden Load(string file)
        {
            var directory = Path.Combine(TrainingScripts.RepositoryRoot, "tests", "Runtime.Tests", "Decoding", "LexiconGolden");
            using var document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(directory, file)));
            var root = document.RootElement;
            var vocabulary = TokenVocabulary.FromTokens(root.GetProperty("vocabulary").EnumerateArray().Select(t => t.GetString()!));
            var arpa = ArpaReader.Load(Path.Combine(TrainingScripts.RepositoryRoot, root.GetProperty("lm").GetString()!));
            var unknownWords = root.TryGetProperty("oov_penalty", out var penalty)
                ? new UnknownWordOptions { Penalty = penalty.GetDouble(), UnknownLog10Probability = root.GetProperty("unknown_log10_prob").GetDouble() }
                : null;
            var languageModel = new LexiconLanguageModel(arpa, vocabulary, root.GetProperty("weight").GetDouble(), root.GetProperty("word_bonus").GetDouble(), unknownWords);
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
