using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using SpeechServe.Adapters.Registry;
using SpeechServe.Runtime.Audio;
using SpeechServe.Runtime.Onnx;
using SpeechServe.Serving.Adaptation;
using SpeechServe.Serving.Admin;
using SpeechServe.Serving.AudioApi;
using SpeechServe.Serving.Cluster;
using SpeechServe.Serving.Health;
using SpeechServe.Serving.Metrics;
using SpeechServe.Serving.Models;
using SpeechServe.Serving.Security;
using SpeechServe.Serving.Transcription;
using SpeechServe.Serving.Translation;

namespace SpeechServe.Serving;

/// <summary>Registers the serving stack's services.</summary>
public static class ServiceCollectionExtensions
{
    /// <summary>Adds options, the ONNX Runtime environment, the audio decoder, metrics, model loading, health checks, API keys and limits.</summary>
    public static IServiceCollection AddSpeechServing(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ServingOptions>()
            .Bind(configuration.GetSection(ServingOptions.Section))
            .Validate(
                o => o.InferenceBreaker is { FailureRatio: > 0 and <= 1, MinimumThroughput: >= 2, SamplingDurationSeconds: >= 0.5, BreakSeconds: >= 0.5 },
                "Serving:InferenceBreaker needs FailureRatio in (0, 1], MinimumThroughput >= 2, SamplingDurationSeconds >= 0.5 and BreakSeconds >= 0.5.")
            .Validate(
                o => o.Translation.IsValid,
                $"Serving:Translation needs BeamWidth from 1 to {TranslationDefaults.MaxBeamWidth}, LengthPenalty from 0 to {TranslationDefaults.MaxLengthPenalty} and MaxTokens >= 1.")
            .Validate(
                o => o.IntraOpThreads is >= 0 and <= ServingOptions.MaxThreads && o.BatchWorkers is >= 0 and <= ServingOptions.MaxThreads,
                $"Serving:IntraOpThreads and Serving:BatchWorkers must be from 0 (sized to the machine) to {ServingOptions.MaxThreads}.")
            .Validate(
                o => o.MaxBatchSize >= 1 && o.MaxQueueLength >= 1 && o.MaxBatchWaitMilliseconds >= 0,
                "Serving:MaxBatchSize and Serving:MaxQueueLength must be at least 1 and Serving:MaxBatchWaitMilliseconds not negative.")
            .ValidateOnStart();
        // Numbers are JSON numbers on the wire; without this the OpenAPI document types them "number or string".
        services.ConfigureHttpJsonOptions(json => json.SerializerOptions.NumberHandling = JsonNumberHandling.Strict);
        services.AddSingleton(provider =>
        {
            var settings = provider.GetRequiredService<IOptions<ServingOptions>>().Value;
            return new OnnxSessionFactory(provider.GetRequiredService<ILogger<OnnxSessionFactory>>(), settings.IntraOpThreads, settings.CudaDeviceId);
        });
        services.AddSingleton(provider => new AudioDecoder(new FfmpegOptions
        {
            ExecutablePath = provider.GetRequiredService<IOptions<ServingOptions>>().Value.FfmpegPath,
        }));
        services.AddSingleton<ModelCatalog>();
        services.AddSingleton<AudioRequestPipeline>();
        services.AddSingleton<TranscriptionTask>();
        services.AddSingleton<TranslationTask>();
        services.Configure<AdapterOptions>(configuration.GetSection(AdapterOptions.Section));
        services.Configure<AdminOptions>(configuration.GetSection(AdminOptions.Section));
        services.AddSingleton<ServingMetrics>();
        services.AddSingleton<AdapterLifecycleLog>();
        services.AddSingleton<IAdapterLifecycleListener, AdapterLifecycleReporter>();
        services.AddSingleton<AdapterRegistryFactory>();
        if (string.IsNullOrEmpty(configuration[$"{AdapterOptions.Section}:{nameof(AdapterOptions.DatabaseConnection)}"]))
        {
            services.AddSingleton<IAdapterChanges, LocalAdapterChanges>();
        }
        else
        {
            services.AddSingleton<AdapterCluster>();
            services.AddSingleton<IAdapterChanges, ClusterAdapterChanges>();
            services.AddHostedService<AdapterChangeListener>();
        }

        services.AddHostedService<ModelLoadingService>();
        services.Configure<AdaptationOptions>(configuration.GetSection(AdaptationOptions.Section));
        services.AddSingleton<AdaptationJobs>();
        services.AddHostedService(provider => provider.GetRequiredService<AdaptationJobs>());
        services.AddHealth();
        services.AddApiSecurity(configuration);
        return services;
    }
}
