using System.Globalization;
using System.Net;
using System.Net.WebSockets;
using SpeechServe.Runtime.Audio;
using SpeechServe.Runtime.Tests.Audio;
using SpeechServe.Serving.Streaming;
using SpeechServe.Serving.Tests.Support;

namespace SpeechServe.Serving.Tests.Streaming;

/// <summary>
/// Real inference failures inside open streams, on the real server process: the encoder is rewritten
/// (<see cref="LengthLimitedEncoder.LimitCacheFrames"/>) so that ONNX Runtime fails every run whose attention
/// cache holds more than 24 encoder frames. A stream's first four chunks (1.28 s) then succeed and its fifth
/// fails; streams shorter than that and REST requests of up to one encoder window (5.12 s) succeed.
/// </summary>
public sealed class StreamingInferenceFaultTests
{
    private const int BreakSeconds = 4;

    // Four chunks of 320 ms succeed before the failing one.
    private const double LastGoodSeconds = 1.28;

    [Fact]
    public async Task Stream_EncoderFailsMidStream_ErrorAfterResultsThenBreakerOpensAndRecovers()
    {
        using var repository = RandomModelRepository.Create();
        LengthLimitedEncoder.LimitCacheFrames(repository.ModelDirectory, maxCacheFrames: 24);
        var speech = await TestSpeech.CreateAsync(repository.ScratchPath);
        var wavPath = Path.Combine(repository.ScratchPath, "sentence.wav");
        await File.WriteAllBytesAsync(wavPath, await speech.WavAsync(16_000));
        var (sentence, rate) = StreamClient.ReadPcm(wavPath);
        var oneSecond = sentence[..(rate * 2)];
        var upload = new WavBuilder(16_000, 1, SampleEncoding.PcmSigned16).Build((await speech.MonoAsync(16_000)).AsSpan(0, 24_000));
        await using var server = await ServingProcess.StartAsync(
            new Dictionary<string, string>
            {
                ["Serving__ModelsPath"] = repository.ModelsPath,

                // Each failing stream is 4 successful encoder runs and 1 failed one: one alone stays under the minimum and the ratio, repeated ones reach them.
                ["Serving__InferenceBreaker__FailureRatio"] = "0.15",
                ["Serving__InferenceBreaker__MinimumThroughput"] = "10",
                ["Serving__InferenceBreaker__SamplingDurationSeconds"] = "300",
                ["Serving__InferenceBreaker__BreakSeconds"] = BreakSeconds.ToString(CultureInfo.InvariantCulture),
                ["Streaming__IdleTimeoutSeconds"] = "300",
            },
            TimeSpan.FromSeconds(60));
        using var client = server.CreateClient();
        var streamUri = new Uri($"ws://{server.BaseAddress.Authority}/v1/audio/stream?model={RandomModelRepository.ModelId}");

        AssertFailedAfterResults(await StreamClient.StreamAsync(streamUri, sentence, rate, realTime: false));

        using (var transcribed = await TranscriptionUpload.PostAsync(client, upload, RandomModelRepository.ModelId))
        {
            await ResponseAssert.OkAsync(transcribed);
        }

        AssertCompleted(await StreamClient.StreamAsync(streamUri, oneSecond, rate, realTime: false));

        // Opened while the breaker is closed; it sends its audio once the breaker is open.
        using var openStream = new ClientWebSocket();
        await openStream.ConnectAsync(streamUri, CancellationToken.None);

        // Counted so far: 4 + 1 + 3 successes (the 1 s stream's last 2 feature frames are too few to encode) and 1 failure.
        // The 2nd failing stream makes 2 failures of 14 runs, under the ratio; the 3rd 3 of 19, over it.
        AssertFailedAfterResults(await StreamClient.StreamAsync(streamUri, sentence, rate, realTime: false));
        Assert.False(await IsPausedAsync(client), "the breaker opened at 2 failures of 14 runs");
        AssertFailedAfterResults(await StreamClient.StreamAsync(streamUri, sentence, rate, realTime: false));
        Assert.True(await IsPausedAsync(client), "the breaker did not open at 3 failures of 19 runs");

        using (var refused = await TranscriptionUpload.PostAsync(client, upload, RandomModelRepository.ModelId))
        {
            await ResponseAssert.OpenAiErrorAsync(refused, HttpStatusCode.ServiceUnavailable, "inference_unavailable");
            Assert.InRange(refused.Headers.RetryAfter?.Delta?.TotalSeconds ?? 0, 1, BreakSeconds);
        }

        await StreamClient.AssertUnavailableBeforeUpgradeAsync(streamUri);
        var receiving = StreamClient.ReceiveAllAsync(openStream);
        await StreamClient.SendAudioAsync(openStream, oneSecond[..(rate * 2 * 4 / 10)], rate, realTime: false);
        var paused = await receiving;
        var pausedError = Assert.Single(paused.Messages);
        Assert.Equal(("error", "inference_unavailable"), (pausedError.Type, pausedError.Code));
        Assert.Contains("retry after", pausedError.Message, StringComparison.Ordinal);
        Assert.Equal(StreamCloseCodes.TryAgainLater, paused.CloseStatus);

        await server.WaitUntilReadyAsync(TimeSpan.FromSeconds(BreakSeconds + 10));
        AssertCompleted(await StreamClient.StreamAsync(streamUri, oneSecond, rate, realTime: false));
        using (var recovered = await TranscriptionUpload.PostAsync(client, upload, RandomModelRepository.ModelId))
        {
            await ResponseAssert.OkAsync(recovered);
        }

        await server.WaitForQuietOutputAsync(TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(5));
        Assert.Contains("indices element out of data bounds", server.FullOutput, StringComparison.Ordinal);
        Assert.Contains("half-open", server.FullOutput, StringComparison.Ordinal);
        Assert.Contains("closed: inference succeeds again", server.FullOutput, StringComparison.Ordinal);
        server.AssertRunning();
    }

    private static void AssertFailedAfterResults(StreamOutcome outcome)
    {
        Assert.Equal(WebSocketCloseStatus.InternalServerError, outcome.CloseStatus);
        var error = outcome.Messages[^1];
        Assert.Equal(("error", "inference_failed"), (error.Type, error.Code));
        Assert.Contains("encoder", error.Message, StringComparison.Ordinal);

        // The ONNX Runtime detail goes to the server log only.
        Assert.DoesNotContain("indices", error.Message, StringComparison.Ordinal);

        var results = outcome.Messages.SkipLast(1).ToList();
        Assert.Contains(results, m => m.Type == "partial");
        Assert.All(results, m => Assert.True(m.Type is "partial" or "final" && m.End <= LastGoodSeconds, $"{m} before the error"));
    }

    private static void AssertCompleted(StreamOutcome outcome)
    {
        Assert.Equal(WebSocketCloseStatus.NormalClosure, outcome.CloseStatus);
        Assert.Equal("done", outcome.Messages[^1].Type);
        Assert.NotEmpty(outcome.Finals);
    }

    private static async Task<bool> IsPausedAsync(HttpClient client)
    {
        using var ready = await client.GetAsync(new Uri("/readyz", UriKind.Relative));
        return ready.StatusCode == HttpStatusCode.ServiceUnavailable
            && (await ready.Content.ReadAsStringAsync()).Contains("inference_paused", StringComparison.Ordinal);
    }
}
