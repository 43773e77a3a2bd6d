using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SpeechServe.Serving.Tests.Support;

namespace SpeechServe.Serving.Tests.Streaming;

[Collection(StreamingServerGroup.Name)]
public sealed class StreamingTranscriptionTests(StreamingServerFixture server)
{
    [Theory]
    [InlineData(0, true)]
    [InlineData(1, false)]
    [InlineData(2, false)]
    public async Task Stream_SpeechWav_FinalsEqualOfflineTranscription(int file, bool realTime)
    {
        var (pcm, rate) = StreamClient.ReadPcm(server.Wavs[file]);

        var outcome = await StreamClient.StreamAsync(server.StreamUri($"model={StreamingServerFixture.ModelId}&sample_rate={rate}"), pcm, rate, realTime);
        var offline = await TranscribeAsync(server.Wavs[file]);

        Assert.Equal(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, outcome.CloseStatus);
        Assert.Equal("done", outcome.Messages[^1].Type);
        Assert.NotEmpty(outcome.Finals);

        // Segments own whole tokens, so the finals hold exactly the offline tokens; only the spaces at a
        // boundary that falls inside a word can differ.
        Assert.Equal(offline.Replace(" ", string.Empty, StringComparison.Ordinal), outcome.FinalText.Replace(" ", string.Empty, StringComparison.Ordinal));
        if (outcome.Finals.Count() == 1)
        {
            Assert.Equal(offline, outcome.FinalText);
        }
    }

    [Fact]
    public async Task Stream_Messages_CarrySegmentsAndTimesInOrder()
    {
        var (pcm, rate) = StreamClient.ReadPcm(server.Wavs[1]);

        var outcome = await StreamClient.StreamAsync(server.StreamUri($"sample_rate={rate}"), pcm, rate, realTime: false);

        var results = outcome.Messages.Where(m => m.Type is "partial" or "final").ToList();
        Assert.All(results, m => Assert.True(m.Start <= m.End && m.Segment >= 0));
        Assert.Equal(results.Select(m => m.Segment), results.Select(m => m.Segment).Order());
        var finals = outcome.Finals.ToList();
        Assert.Equal(Enumerable.Range(0, finals.Count), finals.Select(f => f.Segment!.Value));
        Assert.InRange(finals[^1].End!.Value, 0, (pcm.Length / 2.0 / rate) + 0.001);
    }

    [Fact]
    public async Task Stream_Float32At16k_MatchesOffline()
    {
        var wav = SpeechServe.Runtime.Audio.WavParser.Parse(await File.ReadAllBytesAsync(server.Wavs[2]));
        var samples = new SpeechServe.Runtime.Audio.PolyphaseResampler(wav.Format.SampleRate, 16_000).Process(wav.Samples);
        var bytes = new byte[samples.Length * 4];
        Buffer.BlockCopy(samples, 0, bytes, 0, bytes.Length);

        var outcome = await StreamClient.StreamAsync(server.StreamUri("encoding=pcm_f32le"), bytes, 16_000 * 2, realTime: false);
        var offline = await TranscribeAsync(server.Wavs[2]);

        Assert.Equal(offline.Replace(" ", string.Empty, StringComparison.Ordinal), outcome.FinalText.Replace(" ", string.Empty, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Stream_ConcurrentStreamsOnDifferentAdapters_EachGetsWhatItGetsAlone()
    {
        var models = new[] { StreamingServerFixture.ModelId, RandomModelRepository.AdapterNames[0], RandomModelRepository.AdapterNames[1], StreamingServerFixture.ModelId };
        var audio = models.Select((_, i) => StreamClient.ReadPcm(server.Wavs[i % server.Wavs.Count])).ToList();
        Uri Uri(int i) => server.StreamUri($"model={models[i]}&sample_rate={audio[i].SampleRate}");
        var alone = new List<StreamOutcome>();
        for (var i = 0; i < models.Length; i++)
        {
            alone.Add(await StreamClient.StreamAsync(Uri(i), audio[i].Pcm, audio[i].SampleRate, realTime: false));
        }

        var before = (await MetricsScrape.GetAsync(server.Http)).Value("speechserve_stream_batch_size_sum", ("base_model", StreamingServerFixture.ModelId));
        var together = await Task.WhenAll(models.Select((_, i) => StreamClient.StreamAsync(Uri(i), audio[i].Pcm, audio[i].SampleRate, realTime: false)));
        var after = (await MetricsScrape.GetAsync(server.Http)).Value("speechserve_stream_batch_size_sum", ("base_model", StreamingServerFixture.ModelId));

        for (var i = 0; i < models.Length; i++)
        {
            Assert.Equal("done", together[i].Messages[^1].Type);
            Assert.NotEmpty(alone[i].Finals);
            // Partials may coalesce when the client reads slowly; the finals are all sent.
            Assert.Equal(alone[i].Finals.Select(m => (m.Text, m.Segment, m.Start, m.End)), together[i].Finals.Select(m => (m.Text, m.Segment, m.Start, m.End)));
        }

        // Every chunk of the concurrent streams went through the model's stream batcher.
        Assert.True(after - before >= models.Length, $"the stream batcher ran {after - before} chunks");
    }

    private async Task<string> TranscribeAsync(string wav)
    {
        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(await File.ReadAllBytesAsync(wav)), "file", "speech.wav" },
            { new StringContent(StreamingServerFixture.ModelId), "model" },
        };
        using var response = await server.Http.PostAsync(new Uri("/v1/audio/transcriptions", UriKind.Relative), form);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("text").GetString()!;
    }
}
