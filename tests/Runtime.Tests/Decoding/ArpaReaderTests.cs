using System.IO.Compression;
using System.Text;
using SpeechServe.Runtime.Decoding;

namespace SpeechServe.Runtime.Tests.Decoding;

public sealed class ArpaReaderTests
{
    private static readonly double Ln10 = Math.Log(10);

    [Fact]
    public void Read_TinyModel_HasOrderWordsAndNaturalLogScores()
    {
        var model = TinyLanguageModel.Read();

        Assert.Equal(2, model.Order);
        Assert.Equal(["<s>", "</s>", "cat", "cats", "sat", "the"], model.Words);
        Assert.Equal(-0.3 * Ln10, model.LogProbability([Id(model, "the")], Id(model, "cat")), 12);
        Assert.Equal(-1.2 * Ln10, model.LogProbability([], Id(model, "the")), 12);
    }

    [Fact]
    public void LogProbability_UnseenBigram_BacksOffThroughTheContextsWeight()
    {
        var model = TinyLanguageModel.Read();

        // "the sat" is absent: back-off of "the" (-0.5) plus P(sat) (-0.9).
        Assert.Equal((-0.5 + -0.9) * Ln10, model.LogProbability([Id(model, "the")], Id(model, "sat")), 12);

        // "cats" has no back-off weight: 0 plus P(the).
        Assert.Equal(-1.2 * Ln10, model.LogProbability([Id(model, "cats")], Id(model, "the")), 12);

        // A longer context than the order: only the last word counts.
        Assert.Equal(-0.4 * Ln10, model.LogProbability([Id(model, "the"), Id(model, "cat")], Id(model, "sat")), 12);
    }

    [Fact]
    public void LogProbability_TrigramModel_BacksOffTwiceAndUsesMissingContextsAsZero()
    {
        const string arpa = """
            header text that readers ignore
            \data\
            ngram 1=4
            ngram 2=2
            ngram 3=1

            \1-grams:
            -inf <s> -0.25
            -0.5 </s>
            -0.6 a -0.1
            -0.7 b -0.2

            \2-grams:
            -0.3 <s> a -0.05
            -0.4 a b

            \3-grams:
            -0.1 <s> a b

            \end\
            trailing text
            """;
        var model = ArpaReader.Read(new StringReader(arpa));
        int s = Id(model, "<s>"), a = Id(model, "a"), b = Id(model, "b");

        Assert.Equal(3, model.Order);
        Assert.Equal(-0.1 * Ln10, model.LogProbability([s, a], b), 12);
        // "<s> a a" and "a a" are absent: bo(<s> a) + bo(a) + P(a).
        Assert.Equal((-0.05 + -0.1 + -0.6) * Ln10, model.LogProbability([s, a], a), 12);
        // "b a" is not an n-gram (back-off 0), then "a b" exists.
        Assert.Equal(-0.4 * Ln10, model.LogProbability([b, a], b), 12);
        // "a b" has no back-off weight (0), "b b" is absent: bo(b) + P(b).
        Assert.Equal((-0.2 + -0.7) * Ln10, model.LogProbability([a, b], b), 12);
    }

    [Theory]
    [InlineData("", "no \\data\\ header")]
    [InlineData("\\data\\\n\\1-grams:\n-1 a\n\\end\\\n", "line 2: \\data\\ declares no 1-grams")]
    [InlineData("\\data\\\nngram 1=x\n", "line 2: 'ngram 1=x' is not of the form")]
    [InlineData("\\data\\\nngram 2=1\n", "line 2: expected the count of 1-grams")]
    [InlineData("\\data\\\nngram 1=2\n\n\\2-grams:\n", "line 4: expected '\\1-grams:'")]
    [InlineData("\\data\\\nngram 1=3\n\\1-grams:\n-1 <s>\n-1 </s>\n\\end\\\n", "line 6: the 1-grams section has 2 entries but \\data\\ declares 3")]
    [InlineData("\\data\\\nngram 1=2\n\\1-grams:\n-1 <s>\n-1 </s>\n-1 a\n\\end\\\n", "line 6: expected '\\end\\'")]
    [InlineData("\\data\\\nngram 1=2\n\\1-grams:\n-1 <s>\n-1 </s>\n", "at the end (line 6): expected '\\end\\'")]
    [InlineData("\\data\\\nngram 1=2\n\\1-grams:\n-1 <s>\nminus </s>\n\\end\\\n", "line 5: the probability 'minus' is not a number")]
    [InlineData("\\data\\\nngram 1=2\n\\1-grams:\n-1 <s>\nnan </s>\n\\end\\\n", "line 5: the probability 'nan' is not a number")]
    [InlineData("\\data\\\nngram 1=2\n\\1-grams:\n-1 <s> x\n-1 </s>\n\\end\\\n", "line 4: the back-off weight 'x' is not a number")]
    [InlineData("\\data\\\nngram 1=2\n\\1-grams:\n-1 <s> -1 -1\n-1 </s>\n\\end\\\n", "line 4: a 1-gram line needs")]
    [InlineData("\\data\\\nngram 1=2\n\\1-grams:\n-1 <s>\n-1 <s>\n\\end\\\n", "line 5: the 1-gram '<s>' appears twice")]
    [InlineData("\\data\\\nngram 1=2\nngram 2=1\n\\1-grams:\n-1 <s>\n-1 </s>\n\\2-grams:\n-1 <s> dog\n\\end\\\n", "line 8: the word 'dog' of this 2-gram has no 1-gram")]
    [InlineData("\\data\\\nngram 1=2\n\\1-grams:\n-1 <s>\n-1 a\n\\end\\\n", "has no 1-gram for '</s>'")]
    public void Read_Malformed_SaysWhatAndWhere(string arpa, string expected)
    {
        var error = Assert.Throws<InvalidDataException>(() => ArpaReader.Read(new StringReader(arpa), name: "lm.arpa"));

        Assert.Contains("lm.arpa", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_OverTheLimits_IsRefusedBeforeReadingTheEntries()
    {
        var ngrams = Assert.Throws<InvalidDataException>(() => ArpaReader.Read(new StringReader("\\data\\\nngram 1=1000000000\n"), new ArpaReadLimits { MaxNgrams = 1000 }));
        var order = Assert.Throws<InvalidDataException>(() => ArpaReader.Read(new StringReader("\\data\\\nngram 1=1\nngram 2=1\nngram 3=1\n"), new ArpaReadLimits { MaxOrder = 2 }));
        var bytes = Assert.Throws<InvalidDataException>(() => ArpaReader.Read(new StringReader(TinyLanguageModel.Arpa), new ArpaReadLimits { MaxBytes = 50 }));

        Assert.Contains("the limit is 1000", ngrams.Message, StringComparison.Ordinal);
        Assert.Contains("order 3 is over the limit of 2", order.Message, StringComparison.Ordinal);
        Assert.Contains("longer than the limit of 50 bytes", bytes.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_FileOverTheByteLimit_IsRefusedByItsSize()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, TinyLanguageModel.Arpa);

            var error = Assert.Throws<InvalidDataException>(() => ArpaReader.Load(path, new ArpaReadLimits { MaxBytes = 10 }));

            Assert.Contains("at most 10", error.Message, StringComparison.Ordinal);
            Assert.Equal(6, ArpaReader.Load(path).Words.Count);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Load_GzipCompressedFile_ReadsTheSameModel()
    {
        var path = Path.Combine(Path.GetTempPath(), $"{Guid.NewGuid():N}.arpa.gz");
        try
        {
            using (var gzip = new GZipStream(File.Create(path), CompressionLevel.Optimal))
            {
                gzip.Write(Encoding.UTF8.GetBytes(TinyLanguageModel.Arpa));
            }

            var model = ArpaReader.Load(path);

            var plain = TinyLanguageModel.Read();
            Assert.Equal(plain.Words, model.Words);
            Assert.Equal(plain.LogProbability([Id(plain, "the")], Id(plain, "sat")), model.LogProbability([Id(model, "the")], Id(model, "sat")), 12);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Load_GzNameOverPlainText_SaysItIsNotGzip()
    {
        var path = Path.Combine(Path.GetTempPath(), $"{Guid.NewGuid():N}.arpa.gz");
        try
        {
            File.WriteAllText(path, TinyLanguageModel.Arpa);

            var error = Assert.Throws<InvalidDataException>(() => ArpaReader.Load(path));

            Assert.StartsWith($"{Path.GetFileName(path)} is not valid gzip data", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static int Id(NgramLanguageModel model, string word) => model.TryGetWordId(word, out var id) ? id : throw new KeyNotFoundException(word);
}
