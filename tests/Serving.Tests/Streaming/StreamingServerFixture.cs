using System.Diagnostics;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using SpeechServe.Serving.Tests.Support;

namespace SpeechServe.Serving.Tests.Streaming;

/// <summary>
/// A real Kestrel server on a loopback port serving a model repository exported from the training scripts'
/// random checkpoint, and espeak-ng speech WAVs (22.05 kHz) made at test time, all in a temporary directory.
/// Short limits make the bad-input cases quick.
/// </summary>
public sealed class StreamingServerFixture : IDisposable
{
    /// <summary>The exported model's id.</summary>
    public const string ModelId = RandomModelRepository.ModelId;

    /// <summary>The phrases spoken into <see cref="Wavs"/>.</summary>
    public static readonly string[] Phrases =
    [
        "the quick brown fox jumps over the lazy dog",
        "streaming speech recognition. with a pause. in the middle",
        "seven hundred and twelve",
    ];

    private readonly RandomModelRepository _repository = RandomModelRepository.Create();
    private readonly WebApplicationFactory<Program> _factory;

    public StreamingServerFixture()
    {
        Wavs = Phrases.Select((phrase, i) => Speak(phrase, Path.Combine(_repository.ScratchPath, $"speech-{i}.wav"))).ToArray();

        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder => builder
            .UseSetting("urls", "http://127.0.0.1:0")
            .UseSetting("Serving:ModelsPath", _repository.ModelsPath)
            .UseSetting("Streaming:IdleTimeoutSeconds", "1.5")
            .UseSetting("Streaming:MaxFrameBytes", "65536")
            .UseSetting("Streaming:MaxConcurrentStreams", "6")
            .UseSetting("Streaming:MaxStreamSeconds", "30"));
        _factory.UseKestrel(0);
        _factory.StartServer();
        var address = _factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
        Http = new HttpClient { BaseAddress = BaseAddress };
        WaitUntilReady();
    }

    /// <summary>The directory of the exported model repository.</summary>
    public string ModelsPath => _repository.ModelsPath;

    /// <summary>The server's http:// address.</summary>
    public Uri BaseAddress { get; }

    /// <summary>A client of the server.</summary>
    public HttpClient Http { get; }

    /// <summary>The speech files, one per phrase.</summary>
    public IReadOnlyList<string> Wavs { get; }

    /// <summary>The server's services.</summary>
    public IServiceProvider Services => _factory.Services;

    /// <summary>The stream URL with <paramref name="query"/>.</summary>
    public Uri StreamUri(string query) => new($"ws://{BaseAddress.Authority}/v1/audio/stream?{query}");

    public void Dispose()
    {
        Http.Dispose();
        _factory.Dispose();
        _repository.Dispose();
    }

    private static string Speak(string text, string path)
    {
        var start = new ProcessStartInfo("espeak-ng") { RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "-s", "170", "-w", path, text })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        process.WaitForExit(30_000);
        Assert.True(process.ExitCode == 0 && File.Exists(path), $"espeak-ng failed: {process.StandardError.ReadToEnd()}");
        return path;
    }

    private void WaitUntilReady()
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            using var response = Http.GetAsync(new Uri("/readyz", UriKind.Relative)).GetAwaiter().GetResult();
            if (response.IsSuccessStatusCode)
            {
                return;
            }

            Thread.Sleep(100);
        }

        throw new TimeoutException("The server did not load the model within 60 s.");
    }
}

[CollectionDefinition(Name)]
public sealed class StreamingServerGroup : ICollectionFixture<StreamingServerFixture>
{
    public const string Name = "streaming server";
}
