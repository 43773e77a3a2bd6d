using System.Globalization;
using SpeechServe.Serving.Tests.Support;

namespace SpeechServe.Serving.Tests.Transcription;

/// <summary>The request OpenAI documents for its audio API, sent with the real <c>curl -F</c>.</summary>
[Collection(ServingServerDefinition.Name)]
public sealed class CurlMultipartTests(ServingServerFixture server)
{
    [Fact]
    public async Task Curl_VerboseJsonWithWords_ReturnsWellFormedTranscript()
    {
        var (status, body) = await CurlAsync(
            "-F", "response_format=verbose_json", "-F", "timestamp_granularities[]=word", "-F", "timestamp_granularities[]=segment");

        Assert.True(status == 200, $"curl got {status}: {body}\n{server.ServerOutput}");
        TranscriptAssert.WellFormed(VerboseTranscription.Parse(body), await server.Speech.DurationAsync(), 0.01, expectWords: true);
    }

    [Fact]
    public async Task Curl_TextFormat_ReturnsPlainText()
    {
        var (status, body) = await CurlAsync("-F", "response_format=text", "-F", "language=en");

        Assert.True(status == 200, $"curl got {status}: {body}\n{server.ServerOutput}");
        Assert.EndsWith("\n", body, StringComparison.Ordinal);
        Assert.False(body.StartsWith('{'), body);
    }

    private async Task<(int Status, string Body)> CurlAsync(params string[] fields)
    {
        var wav = Path.Combine(server.ScratchPath, $"curl-{Guid.NewGuid():N}.wav");
        await File.WriteAllBytesAsync(wav, await server.Speech.WavAsync(16_000));
        var output = await ExternalTool.RunCheckedAsync(
            "curl",
            [
                "--silent", "--show-error", "--globoff", "--max-time", "60",
                "--write-out", "\n%{http_code}",
                "-H", "Authorization: Bearer sk-not-checked",
                "-F", $"file=@{wav};type=audio/wav",
                "-F", $"model={RandomModelRepository.ModelId}",
                .. fields,
                new Uri(server.BaseAddress, TranscriptionUpload.Path).ToString(),
            ]);
        var split = output.LastIndexOf('\n');
        return (int.Parse(output[(split + 1)..], CultureInfo.InvariantCulture), output[..split]);
    }
}
