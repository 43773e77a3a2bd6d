using SpeechServe.Runtime.Decoding;

namespace SpeechServe.Runtime.Tests.Decoding;

public class TokenVocabularyTests
{
    [Fact]
    public void Load_TokensFile_IdsAreLineNumbers()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "<blank>\n\u2581\na\nb\n'\n");

            var vocabulary = TokenVocabulary.Load(path);

            Assert.Equal(5, vocabulary.Count);
            Assert.Equal("<blank>", vocabulary[0]);
            Assert.Equal(1, vocabulary.WordBoundaryId);
            Assert.True(vocabulary.TryGetId("'", out var apostrophe));
            Assert.Equal(4, apostrophe);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Parse_TokenIdPairs_AcceptsSherpaLayout()
    {
        var vocabulary = TokenVocabulary.Parse(new StringReader("<blank> 0\r\n\u2581 1\r\nx 2\r\n"));

        Assert.Equal("x", vocabulary[2]);
        Assert.Equal(3, vocabulary.Count);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a\n<blank>\n")]
    [InlineData("<blank>\na\na\n")]
    [InlineData("<blank>\n\nb\n")]
    public void Parse_InvalidVocabulary_Throws(string text)
    {
        Assert.Throws<InvalidDataException>(() => TokenVocabulary.Parse(new StringReader(text)));
    }

    [Fact]
    public void Detokenize_BoundariesAndBlanks_JoinsTrimsAndCollapses()
    {
        var ids = "|hello||world|".Select(CtcTestData.IdOf).Prepend(0).ToArray();

        Assert.Equal("hello world", CtcTestData.Reference.Detokenize(ids));
    }

    [Fact]
    public void Reference_HasTwentyNineTokens()
    {
        Assert.Equal(29, CtcTestData.Reference.Count);
        Assert.Equal(0, CtcTestData.Reference.BlankId);
    }
}
