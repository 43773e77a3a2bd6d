using System.Net;
using SpeechServe.Runtime.Audio;
using SpeechServe.Runtime.Tests.Audio;
using SpeechServe.Serving.Tests.Streaming;
using SpeechServe.Serving.Tests.Support;

namespace SpeechServe.Serving.Tests.Resilience;

/// <summary>
/// Real inference failures open the inference circuit breaker of the real server: the encoder is rewritten
/// (<see cref="LengthLimitedEncoder"/>) so that ONNX Runtime fails every run over 300 feature frames (3 s),
/// while shorter audio transcribes. The whole spoken sentence (about 6 s) then fails in ONNX Runtime.
/// </summary>
public sealed class InferenceBreakerTests
{
    private const int BreakSeconds = 4;
    private const int FailuresToOpen = 3;

    [Fact]
    public async Task Transcribe_RepeatedInferenceFailures_OpenBreakerThenRecoverAfterTheBreak()
    {
        using var repository = RandomModelRepository.Create();
        LengthLimitedEncoder.LimitFeatureFrames(repository.ModelDirectory, maxFeatureFrames: 300);
        var speech = await TestSpeech.CreateAsync(repository.ScratchPath);
        var failing = await speech.WavAsync(16_000);
        var mono = await speech.MonoAsync(16_000);
        var good = new WavBuilder(16_000, 1, SampleEncoding.PcmSigned16).Build(mono.AsSpan(0, 24_000));
        await using var server = await ServingProcess.StartAsync(
            new Dictionary<string, string>
            {
                ["Serving__ModelsPath"] = repository.ModelsPath,
                ["Serving__InferenceBreaker__FailureRatio"] = "1",
                ["Serving__InferenceBreaker__MinimumThroughput"] = FailuresToOpen.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Serving__InferenceBreaker__BreakSeconds"] = BreakSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
            TimeSpan.FromSeconds(60));
        using var client = server.CreateClient();

        for (var i = 0; i < FailuresToOpen; i++)
        {
            using var failed = await TranscriptionUpload.PostAsync(client, failing, RandomModelRepository.ModelId);
            var error = await ResponseAssert.OpenAiErrorAsync(failed, HttpStatusCode.InternalServerError, "inference_failed");
            Assert.Contains("encoder", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        }

        Assert.Contains("indices element out of data bounds", server.FullOutput, StringComparison.Ordinal);
        using (var refused = await TranscriptionUpload.PostAsync(client, good, RandomModelRepository.ModelId))
        {
            await ResponseAssert.OpenAiErrorAsync(refused, HttpStatusCode.ServiceUnavailable, "inference_unavailable");
            var retryAfter = refused.Headers.RetryAfter?.Delta;
            Assert.NotNull(retryAfter);
            Assert.InRange(retryAfter.Value.TotalSeconds, 1, BreakSeconds);
        }

        await StreamClient.AssertUnavailableBeforeUpgradeAsync(new Uri($"ws://{server.BaseAddress.Authority}/v1/audio/stream?model={RandomModelRepository.ModelId}"));
        using (var health = await client.GetAsync(new Uri("/healthz", UriKind.Relative)))
        {
            await ResponseAssert.OkAsync(health);
        }

        using (var models = await client.GetAsync(new Uri("/v1/models", UriKind.Relative)))
        {
            Assert.Contains(RandomModelRepository.ModelId, await ResponseAssert.OkAsync(models), StringComparison.Ordinal);
        }

        using (var ready = await client.GetAsync(new Uri("/readyz", UriKind.Relative)))
        {
            Assert.Contains("inference_paused", await ResponseAssert.StatusAsync(ready, HttpStatusCode.ServiceUnavailable), StringComparison.Ordinal);
        }

        await server.WaitUntilReadyAsync(TimeSpan.FromSeconds(BreakSeconds + 10));
        for (var i = 0; i < 2; i++)
        {
            using var recovered = await TranscriptionUpload.PostAsync(client, good, RandomModelRepository.ModelId, "audio.wav", ("response_format", "verbose_json"));
            var verbose = VerboseTranscription.Parse(await ResponseAssert.OkAsync(recovered));
            Assert.InRange(verbose.Duration, 1.49, 1.51);
        }

        await server.WaitForQuietOutputAsync(TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(5));
        Assert.Contains("half-open", server.FullOutput, StringComparison.Ordinal);
        Assert.Contains("closed: inference succeeds again", server.FullOutput, StringComparison.Ordinal);
        server.AssertRunning();
    }
}
