using SpeechServe.Runtime.Audio;
using SpeechServe.Serving.Tests.Support;

namespace SpeechServe.Serving.Tests.Transcription;

/// <summary>The spoken sentence as WAV in every encoding, channel count and common rate the decoder supports.</summary>
[Collection(ServingServerDefinition.Name)]
public sealed class WavEncodingTests(ServingServerFixture server)
{
    public static TheoryData<int, int, SampleEncoding, bool> Encodings => new()
    {
        { 16_000, 1, SampleEncoding.PcmUnsigned8, false },
        { 16_000, 1, SampleEncoding.PcmSigned16, false },
        { 16_000, 1, SampleEncoding.PcmSigned24, false },
        { 16_000, 1, SampleEncoding.PcmSigned32, false },
        { 16_000, 1, SampleEncoding.IeeeFloat32, false },
        { 16_000, 1, SampleEncoding.IeeeFloat64, false },
        { 8_000, 1, SampleEncoding.MuLaw, false },
        { 8_000, 1, SampleEncoding.ALaw, false },
        { 8_000, 1, SampleEncoding.PcmSigned16, false },
        { 16_000, 2, SampleEncoding.PcmSigned16, false },
        { 22_050, 1, SampleEncoding.PcmSigned16, false },
        { 44_100, 2, SampleEncoding.PcmSigned16, false },
        { 48_000, 1, SampleEncoding.PcmSigned24, true },
        { 48_000, 2, SampleEncoding.IeeeFloat32, false },
    };

    [Theory]
    [MemberData(nameof(Encodings))]
    public async Task Transcribe_Wav_ReturnsWellFormedVerboseJson(int sampleRate, int channels, SampleEncoding encoding, bool extensible)
    {
        var wav = await server.Speech.WavAsync(sampleRate, channels, encoding, extensible);
        var duration = (await server.Speech.MonoAsync(sampleRate)).Length / (double)sampleRate;
        using var client = server.CreateClient();

        using var response = await TranscriptionUpload.PostAsync(
            client, wav, RandomModelRepository.ModelId, fields: [("response_format", "verbose_json"), ("timestamp_granularities[]", "word")]);

        var verbose = VerboseTranscription.Parse(await ResponseAssert.OkAsync(response, server));
        TranscriptAssert.WellFormed(verbose, duration, 0.002, expectWords: true);
    }
}
