using System.Globalization;

namespace SpeechServe.Serving.Tests.Support;

/// <summary>
/// The functional tests' server: a random-weight model repository served by the real
/// <c>SpeechServe.Serving</c> process on a loopback port, plus the spoken test sentence.
/// </summary>
public sealed class ServingServerFixture : IAsyncLifetime
{
    /// <summary>The body limit the server runs with, small enough that a test can exceed it cheaply.</summary>
    public const long MaxBodyBytes = 4 * 1024 * 1024;

    /// <summary>The longest audio the server accepts, in seconds.</summary>
    public const double MaxAudioSeconds = 30;

    private RandomModelRepository? _repository;
    private ServingProcess? _server;
    private TestSpeech? _speech;

    internal ServingProcess Server => _server ?? throw new InvalidOperationException("The server has not started.");

    internal TestSpeech Speech => _speech ?? throw new InvalidOperationException("The fixture is not initialised.");

    internal string ScratchPath => _repository?.ScratchPath ?? throw new InvalidOperationException("The fixture is not initialised.");

    /// <summary>The server's base address.</summary>
    public Uri BaseAddress => Server.BaseAddress;

    /// <summary>A client for the server.</summary>
    public HttpClient CreateClient() => Server.CreateClient();

    /// <summary>The server's recent console output, for failure messages.</summary>
    public string ServerOutput => Server.Output;

    /// <inheritdoc/>
    public async Task InitializeAsync()
    {
        _repository = RandomModelRepository.Create();
        var speech = TestSpeech.CreateAsync(_repository.ScratchPath);
        _server = await ServingProcess.StartAsync(
            new Dictionary<string, string>
            {
                ["Serving__ModelsPath"] = _repository.ModelsPath,
                ["Serving__MaxBodyBytes"] = MaxBodyBytes.ToString(CultureInfo.InvariantCulture),
                ["Serving__MaxAudioSeconds"] = MaxAudioSeconds.ToString(CultureInfo.InvariantCulture),
            },
            TimeSpan.FromSeconds(60));
        _speech = await speech;
    }

    /// <inheritdoc/>
    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _repository?.Dispose();
    }
}
