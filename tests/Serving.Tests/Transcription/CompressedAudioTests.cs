using SpeechServe.Serving.Tests.Support;

namespace SpeechServe.Serving.Tests.Transcription;

/// <summary>Containers the server decodes through ffmpeg, made from the spoken sentence by ffmpeg at test time.</summary>
[Collection(ServingServerDefinition.Name)]
public sealed class CompressedAudioTests(ServingServerFixture server)
{
    public static TheoryData<string, string[]> Formats => new()
    {
        { "flac", ["-c:a", "flac"] },
        { "mp3", ["-c:a", "libmp3lame", "-b:a", "64k"] },
        { "ogg", ["-c:a", "libopus", "-b:a", "32k"] },
        { "webm", ["-c:a", "libopus", "-b:a", "32k"] },
        { "m4a", ["-c:a", "aac", "-b:a", "64k"] },
    };

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task Transcribe_CompressedAudio_ReturnsWellFormedVerboseJson(string extension, string[] codec)
    {
        var audio = await server.Speech.CompressedAsync(extension, codec);
        using var client = server.CreateClient();

        using var response = await TranscriptionUpload.PostAsync(
            client, audio, RandomModelRepository.ModelId, $"speech.{extension}", ("response_format", "verbose_json"), ("timestamp_granularities[]", "word"));

        var verbose = VerboseTranscription.Parse(await ResponseAssert.OkAsync(response, server));
        // Codec priming and frame padding may add or trim a few tens of milliseconds.
        TranscriptAssert.WellFormed(verbose, await server.Speech.DurationAsync(), 0.1, expectWords: true);
    }
}
