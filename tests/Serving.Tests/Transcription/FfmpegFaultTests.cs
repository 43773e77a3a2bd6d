using System.Globalization;
using System.Net;
using SpeechServe.Serving.Tests.Support;

namespace SpeechServe.Serving.Tests.Transcription;

/// <summary>
/// The real server with <c>Serving:FfmpegPath</c> pointing at a script that hangs, crashes, or runs the real
/// ffmpeg, as its <c>mode</c> file says: a fault gets a clear error, nothing is left running or on disk, and
/// the next compressed upload decodes through the real ffmpeg.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class FfmpegFaultTests : IAsyncLifetime
{
    private const int DecodeTimeoutSeconds = 2;
    private const string Script = """
        #!/bin/sh
        dir=$(dirname "$0")
        echo $$ > "$dir/ffmpeg.pid"
        printf '%s\n' "$@" > "$dir/arguments"
        case $(cat "$dir/mode") in
          hang) sleep 300 & echo $! > "$dir/child.pid"; wait ;;
          crash) kill -SEGV $$ ;;
          *) exec ffmpeg "$@" ;;
        esac
        """;

    private RandomModelRepository? _repository;
    private ServingProcess? _server;
    private TestSpeech? _speech;
    private string _toolDirectory = string.Empty;

    public async Task InitializeAsync()
    {
        _repository = RandomModelRepository.Create();
        _toolDirectory = Directory.CreateDirectory(Path.Combine(_repository.ScratchPath, "fake-ffmpeg")).FullName;
        var script = Path.Combine(_toolDirectory, "ffmpeg");
        await File.WriteAllTextAsync(script, Script.ReplaceLineEndings("\n") + "\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        SetMode("real");
        _speech = await TestSpeech.CreateAsync(_repository.ScratchPath);
        _server = await ServingProcess.StartAsync(
            new Dictionary<string, string>
            {
                ["Serving__ModelsPath"] = _repository.ModelsPath,
                ["Serving__FfmpegPath"] = script,
                ["Serving__DecodeTimeoutSeconds"] = DecodeTimeoutSeconds.ToString(CultureInfo.InvariantCulture),
            },
            TimeSpan.FromSeconds(60));
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _repository?.Dispose();
    }

    [Theory]
    [InlineData("ogg", new[] { "-c:a", "libopus", "-b:a", "32k" })]
    [InlineData("m4a", new[] { "-c:a", "aac", "-b:a", "64k" })]
    public async Task Transcribe_FfmpegHangs_DecodeTimeoutWithinTheLimitAndTheProcessTreeKilled(string extension, string[] codec)
    {
        var audio = await _speech!.CompressedAsync(extension, codec);
        using var client = _server!.CreateClient();
        SetMode("hang");

        var started = DateTime.UtcNow;
        using (var response = await TranscriptionUpload.PostAsync(client, audio, RandomModelRepository.ModelId, $"speech.{extension}"))
        {
            var error = await ResponseAssert.OpenAiErrorAsync(response, HttpStatusCode.BadRequest, "decode_timeout");
            Assert.Contains($"longer than {DecodeTimeoutSeconds} s", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        }

        // The request ends at the decode timeout, not when the hung child would have ended (300 s).
        Assert.InRange((DateTime.UtcNow - started).TotalSeconds, DecodeTimeoutSeconds - 0.5, 60);
        await AssertEndedAsync(ReadPid("ffmpeg.pid"));
        await AssertEndedAsync(ReadPid("child.pid"));
        var input = File.ReadAllLines(Path.Combine(_toolDirectory, "arguments")).SkipWhile(a => a != "-i").Skip(1).First();
        Assert.True(input == "pipe:0" || !File.Exists(input), $"the temporary input {input} was left behind");
        await AssertRealFfmpegServesAsync(client, extension, codec);
    }

    [Fact]
    public async Task Transcribe_FfmpegCrashes_500DecoderCrashedThenServesNormally()
    {
        var audio = await _speech!.CompressedAsync("flac", "-c:a", "flac");
        using var client = _server!.CreateClient();
        SetMode("crash");

        using (var response = await TranscriptionUpload.PostAsync(client, audio, RandomModelRepository.ModelId, "speech.flac"))
        {
            var error = await ResponseAssert.OpenAiErrorAsync(response, HttpStatusCode.InternalServerError, "decoder_crashed");
            Assert.Contains("signal 11", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        }

        await AssertRealFfmpegServesAsync(client, "flac", ["-c:a", "flac"]);
    }

    private async Task AssertRealFfmpegServesAsync(HttpClient client, string extension, string[] codec)
    {
        SetMode("real");
        using var response = await TranscriptionUpload.PostAsync(
            client, await _speech!.CompressedAsync(extension, codec), RandomModelRepository.ModelId, $"speech.{extension}", ("response_format", "verbose_json"));
        var verbose = VerboseTranscription.Parse(await ResponseAssert.OkAsync(response));
        Assert.InRange(verbose.Duration, await _speech.DurationAsync() - 0.1, await _speech.DurationAsync() + 0.1);
        using var health = await client.GetAsync(new Uri("/healthz", UriKind.Relative));
        await ResponseAssert.OkAsync(health);
        _server!.AssertRunning();
    }

    private void SetMode(string mode) => File.WriteAllText(Path.Combine(_toolDirectory, "mode"), mode);

    private int ReadPid(string file) => int.Parse(File.ReadAllText(Path.Combine(_toolDirectory, file)).Trim(), CultureInfo.InvariantCulture);

    // Gone, or a zombie whose parent has not reaped it yet: either way no longer running.
    private static async Task AssertEndedAsync(int pid)
    {
        for (var i = 0; i < 100 && IsRunning(pid); i++)
        {
            await Task.Delay(50);
        }

        Assert.False(IsRunning(pid), $"process {pid} of the hung ffmpeg is still running");
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            return !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }
}
