using System.Net.Http.Headers;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using SpeechServe.Export.Repository;
using SpeechServe.Serving.Tests.Support;

namespace SpeechServe.Serving.Tests.Admin;

/// <summary>
/// A server over a model repository exported from training/make_random_checkpoint.py's random
/// checkpoint (adapters medical and callcenter at version 1), with the admin key set, plus the two
/// adapters packaged by <see cref="AdapterExporter"/> for upload and a short WAV to transcribe.
/// </summary>
public sealed class AdminServerFixture : IAsyncLifetime
{
    /// <summary>The admin key the server is configured with.</summary>
    public const string AdminKey = "test-admin-key";

    /// <summary>The base model's id.</summary>
    public const string ModelId = RandomModelRepository.ModelId;

    private RandomModelRepository? _repository;
    private WebApplicationFactory<Program>? _factory;

    /// <summary>The package of adapter <c>medical</c>.</summary>
    public byte[] Medical { get; private set; } = [];

    /// <summary>The package of adapter <c>callcenter</c>.</summary>
    public byte[] CallCenter { get; private set; } = [];

    /// <summary>Half a second of 16 kHz mono noise as a WAV file.</summary>
    public byte[] Wav { get; } = MakeWav(8000);

    /// <summary>The server.</summary>
    public WebApplicationFactory<Program> Factory => _factory ?? throw new InvalidOperationException("not started");

    /// <summary>A client carrying the admin key.</summary>
    public HttpClient CreateAdminClient()
    {
        var client = Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        return client;
    }

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        _repository = RandomModelRepository.Create();
        var checkpoint = _repository.CheckpointPath;
        var modelDirectory = _repository.ModelDirectory;
        Medical = ExportAdapter(checkpoint, modelDirectory, "medical");
        CallCenter = ExportAdapter(checkpoint, modelDirectory, "callcenter");

        var models = _repository.ModelsPath;
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.ConfigureAppConfiguration((_, configuration) => configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Serving:ModelsPath"] = models,
                ["Serving:MaxBatchWaitMilliseconds"] = "1",
                ["Admin:ApiKey"] = AdminKey,
            }));
            builder.UseSetting("Serving:ModelsPath", models);
        });
        using var client = _factory.CreateClient();
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (true)
        {
            using var response = await client.GetAsync(new Uri("/readyz", UriKind.Relative));
            if (response.IsSuccessStatusCode)
            {
                break;
            }

            Assert.True(DateTime.UtcNow < deadline, "the server did not become ready: " + await response.Content.ReadAsStringAsync());
            await Task.Delay(100);
        }
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        _repository?.Dispose();
    }

    /// <summary>A multipart transcription request for <paramref name="model"/>.</summary>
    public MultipartFormDataContent TranscriptionForm(string model, string responseFormat = "verbose_json")
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(Wav);
        file.Headers.ContentType = new MediaTypeHeaderValue("audio/wav");
        form.Add(file, "file", "clip.wav");
        form.Add(new StringContent(model), "model");
        form.Add(new StringContent(responseFormat), "response_format");
        return form;
    }

    private byte[] ExportAdapter(string checkpoint, string modelDirectory, string name)
    {
        var output = Path.Combine(_repository!.ScratchPath, name + ".zip");
        AdapterExporter.Export(new AdapterExportRequest { CheckpointPath = checkpoint, ModelDirectory = modelDirectory, OutputPath = output, Name = name });
        return File.ReadAllBytes(output);
    }

    private static byte[] MakeWav(int samples)
    {
        using var buffer = new MemoryStream();
        using var writer = new BinaryWriter(buffer);
        writer.Write("RIFF"u8);
        writer.Write(36 + (samples * 2));
        writer.Write("WAVEfmt "u8);
        writer.Write(16);
        writer.Write((short)1);
        writer.Write((short)1);
        writer.Write(16000);
        writer.Write(32000);
        writer.Write((short)2);
        writer.Write((short)16);
        writer.Write("data"u8);
        writer.Write(samples * 2);
        var random = new Random(7);
        for (var i = 0; i < samples; i++)
        {
            writer.Write((short)random.Next(-3000, 3000));
        }

        writer.Flush();
        return buffer.ToArray();
    }
}

/// <summary>The admin tests share one server and run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class AdminServerGroup : ICollectionFixture<AdminServerFixture>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "admin server";
}
