using System.Collections.Concurrent;
using SpeechServe.Serving.Tests.Support;
using SpeechServe.Tests.Support;

namespace SpeechServe.Serving.Tests.Translation;

/// <summary>
/// The real server over the shipped model repository (models/), whose adapters include the trained translation
/// adapters <c>translate-de</c> and <c>translate-es</c>, plus held-out sentences spoken by espeak-ng's German and
/// Spanish voices.
/// </summary>
public sealed class ShippedTranslationFixture : IAsyncLifetime, IDisposable
{
    public const string BaseModel = "speechfm-en-small";

    /// <summary>A recognition adapter of the shipped model.</summary>
    public const string RecognitionAdapter = "telephony";

    private ScratchDirectory? _scratch;
    private readonly ConcurrentDictionary<(string Text, string Voice), Lazy<Task<TestSpeech>>> _speech = new();
    private ServingProcess? _server;

    internal ServingProcess Server => _server ?? throw new InvalidOperationException("The server has not started.");

    internal string ScratchPath => _scratch?.Path ?? throw new InvalidOperationException("The fixture is not initialised.");

    /// <summary>The translation adapter for <paramref name="language"/>.</summary>
    public static string Adapter(string language) => $"translate-{language}";

    /// <summary>A client for the server.</summary>
    public HttpClient CreateClient() => Server.CreateClient();

    /// <summary><paramref name="text"/> spoken by the espeak-ng <paramref name="voice"/>, synthesised once.</summary>
    internal Task<TestSpeech> SpeechAsync(string text, string voice) =>
        _speech.GetOrAdd((text, voice), key => new Lazy<Task<TestSpeech>>(() => TestSpeech.CreateAsync(ScratchPath, key.Text, key.Voice))).Value;

    /// <summary>The held-out sentence spoken in <paramref name="language"/>, as a 16 kHz WAV.</summary>
    internal async Task<byte[]> WavAsync(TranslationSentence sentence, string language) =>
        await (await SpeechAsync(sentence.Source(language), language)).WavAsync(16_000);

    /// <inheritdoc/>
    public async Task InitializeAsync()
    {
        _scratch = new ScratchDirectory("speechserve-translation");
        _server = await ServingProcess.StartAsync(
            new Dictionary<string, string> { ["Serving__ModelsPath"] = Path.Combine(TrainingScripts.RepositoryRoot, "models") },
            TimeSpan.FromSeconds(60));
    }

    /// <inheritdoc/>
    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        Dispose();
    }

    /// <inheritdoc/>
    public void Dispose() => _scratch?.Dispose();
}

/// <summary>The tests that share one server over the shipped model; they run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class ShippedTranslationDefinition : ICollectionFixture<ShippedTranslationFixture>
{
    public const string Name = "Shipped translation server";
}
