using SpeechServe.Export.Adaptation;
using SpeechServe.Export.Tests.Onnx;
using SpeechServe.Runtime.Decoding;
using SpeechServe.Tests.Support;

namespace SpeechServe.Export.Tests.Adaptation;

public sealed class DatasetValidatorTests : IDisposable
{
    private static readonly TokenVocabulary Vocabulary =
        TokenVocabulary.Load(Path.Combine(TrainingScripts.RepositoryRoot, "models", "speechfm-en-small", "tokens.txt"));

    private readonly TempDirectory _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task ValidateAsync_BadRows_ListsEveryRowWithItsLineAndReason()
    {
        SpokenDataset.Speak(_data.File("good.wav"), "the cat sat on the mat");
        SpokenDataset.Speak(_data.File("long.wav"), "this sentence is spoken for much longer than the limit of this test allows");
        File.WriteAllBytes(_data.File("noise.wav"), [.. Enumerable.Range(0, 4000).Select(i => (byte)(i * 7))]);
        File.WriteAllText(_data.File("metadata.csv"), string.Join('\n',
            "file_name,transcription",
            "good.wav,\"The cat, sat on the mat.\"",
            "missing.wav,hello there",
            "noise.wav,some words",
            "good.wav,\"  ...  \"",
            "good.wav,it costs 42 euros",
            "long.wav,this sentence is spoken for much longer than the limit of this test allows",
            "good.wav,a transcription far too long for two seconds of audio because it goes on and on and on and on and on without end",
            "../good.wav,outside",
            "lonely.wav"));
        var validator = new DatasetValidator(Vocabulary, new AdaptationSettings { MaxUtterance = TimeSpan.FromSeconds(3) });

        var refusal = await Assert.ThrowsAsync<DatasetException>(() => validator.ValidateAsync(_data.Path));

        Assert.Equal([3, 4, 5, 6, 7, 8, 9, 10], refusal.Problems.Select(p => p.Line));
        Assert.Contains("does not exist", refusal.Problems[0].Message, StringComparison.Ordinal);
        Assert.Contains("cannot be decoded", refusal.Problems[1].Message, StringComparison.Ordinal);
        Assert.Contains("empty", refusal.Problems[2].Message, StringComparison.Ordinal);
        Assert.Contains("'2' '4'", refusal.Problems[3].Message, StringComparison.Ordinal);
        Assert.Contains("split it", refusal.Problems[4].Message, StringComparison.Ordinal);
        Assert.Contains("too short", refusal.Problems[5].Message, StringComparison.Ordinal);
        Assert.Contains("inside the dataset", refusal.Problems[6].Message, StringComparison.Ordinal);
        Assert.Contains("needs file_name and transcription", refusal.Problems[7].Message, StringComparison.Ordinal);
        Assert.StartsWith("8 of 9 rows", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("line 4 (noise.wav)", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ValidateAsync_TooLittleAudio_SaysHowMuchItFound()
    {
        SpokenDataset.Write(_data.Path, 2);
        var validator = new DatasetValidator(Vocabulary, new AdaptationSettings { MinAudio = TimeSpan.FromMinutes(1) });

        var refusal = await Assert.ThrowsAsync<DatasetException>(() => validator.ValidateAsync(_data.Path));

        Assert.Matches(@"holds \d+\.\d s of usable audio in 2 utterances; adaptation needs at least 60\.0 s", refusal.Message);
    }

    [Fact]
    public async Task ValidateAsync_JsonLines_NormalisesTextAndComputesServerFeatures()
    {
        SpokenDataset.Speak(_data.File("a.wav"), "open the window please");
        File.WriteAllText(_data.File("metadata.jsonl"), "{\"file_name\":\"a.wav\",\"transcription\":\"Open the WINDOW \u2014 please!\"}\n\n");
        var validator = new DatasetValidator(Vocabulary, new AdaptationSettings { MinAudio = TimeSpan.FromSeconds(1) });

        var utterance = Assert.Single(await validator.ValidateAsync(_data.Path));

        Assert.Equal("open the window please", utterance.Text);
        Assert.Equal(1, utterance.Line);
        Assert.Equal(utterance.Frames * 80, utterance.Features.Length);
        Assert.InRange(utterance.Duration.TotalSeconds, 1.0, 3.0);
    }

    [Fact]
    public async Task ValidateAsync_NoMetadata_SaysWhichFileToAdd()
    {
        var validator = new DatasetValidator(Vocabulary, new AdaptationSettings());

        var refusal = await Assert.ThrowsAsync<DatasetException>(() => validator.ValidateAsync(_data.Path));

        Assert.Contains("metadata.csv with the header 'file_name,transcription'", refusal.Message, StringComparison.Ordinal);
    }
}
