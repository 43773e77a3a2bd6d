using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using SpeechServe.Serving.Tests.Support;
using SpeechServe.Tests.Support;

namespace SpeechServe.Serving.Tests.Translation;

/// <summary>
/// A translation package goes through the admin API like a recognition adapter: uploaded (the shipped
/// <c>translate-de</c> directory re-packed as a zip) into an empty store, a new version swapped in while
/// translations run (none fails, each names the version it ran on), rolled back, and packages without a working
/// decoder (one missing, one whose graphs do not load as a decoder) refused while the active version keeps translating.
/// </summary>
public sealed class TranslationAdapterAdminTests
{
    private const string AdminKey = "translation-admin-key";
    private const string Name = "translate-de";

    [Fact]
    public async Task AdminApi_TranslationPackage_UploadSwapRollbackAndRefusalBehaveAsForRecognition()
    {
        using var scratch = new ScratchDirectory("speechserve-translation-admin");
        var shippedModels = Path.Combine(TrainingScripts.RepositoryRoot, "models");
        var package = Zip(Path.Combine(shippedModels, ShippedTranslationFixture.BaseModel, "adapters", Name, "1"), except: null);
        await using var server = await ServingProcess.StartAsync(
            new Dictionary<string, string>
            {
                ["Serving__ModelsPath"] = shippedModels,
                ["Adapters__StorePath"] = scratch.File("store"),
                ["Admin__ApiKey"] = AdminKey,
            },
            TimeSpan.FromSeconds(60));
        using var client = server.CreateClient();
        using var admin = server.CreateClient();
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        var sentence = TranslationSentence.HeldOut[3];
        var speech = await TestSpeech.CreateAsync(scratch.Path, sentence.German, "de");
        var wav = await speech.WavAsync(16_000);

        using (var missing = await TranscriptionUpload.PostTranslationAsync(client, wav, Name))
        {
            await ResponseAssert.OpenAiErrorAsync(missing, HttpStatusCode.NotFound, "model_not_found");
        }

        Assert.Equal(1, await UploadAsync(admin, package));
        Assert.Equal(1, await TranslateAsync(client, wav, sentence));

        var during = Enumerable.Range(0, 6).Select(_ => TranslateAsync(client, wav, sentence)).ToList();
        Assert.Equal(2, await UploadAsync(admin, package));
        Assert.All(await Task.WhenAll(during), version => Assert.InRange(version, 1, 2));
        Assert.Equal(2, await TranslateAsync(client, wav, sentence));

        using (var rollback = await admin.PostAsync(new Uri($"/admin/adapters/{Name}/rollback", UriKind.Relative), null))
        {
            await ResponseAssert.OkAsync(rollback);
        }

        Assert.Equal(1, await TranslateAsync(client, wav, sentence));

        var shipped = Path.Combine(shippedModels, ShippedTranslationFixture.BaseModel, "adapters", Name, "1");
        await AssertRefusedAsync(admin, Zip(shipped, except: "decoder.onnx"), "needs decoder.onnx");

        // Both graphs present but the step graph is the cross graph: only loading it in ONNX Runtime can tell.
        await AssertRefusedAsync(admin, Zip(shipped, except: null, ("decoder.onnx", "decoder_cross.onnx")), "decoder.onnx lacks");

        Assert.Equal(1, await TranslateAsync(client, wav, sentence));
        server.AssertRunning();
    }

    private static async Task<int> UploadAsync(HttpClient admin, byte[] package)
    {
        using var content = new ByteArrayContent(package);
        using var response = await admin.PutAsync(new Uri($"/admin/adapters/{Name}", UriKind.Relative), content);
        using var body = JsonDocument.Parse(await ResponseAssert.StatusAsync(response, HttpStatusCode.Created));
        return body.RootElement.GetProperty("version").GetInt32();
    }

    /// <summary>Translates and checks the text; returns the adapter version the request ran on.</summary>
    private static async Task<int> TranslateAsync(HttpClient client, byte[] wav, TranslationSentence sentence)
    {
        using var response = await TranscriptionUpload.PostTranslationAsync(client, wav, Name, ("response_format", "text"));
        TranslationAssert.Close(sentence.English, await ResponseAssert.OkAsync(response));
        var adapter = response.Headers.GetValues("X-SpeechServe-Adapter").Single();
        Assert.StartsWith($"{Name}@", adapter, StringComparison.Ordinal);
        return int.Parse(adapter[(Name.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task AssertRefusedAsync(HttpClient admin, byte[] package, string reason)
    {
        using var content = new ByteArrayContent(package);
        using var refused = await admin.PutAsync(new Uri($"/admin/adapters/{Name}", UriKind.Relative), content);
        var body = await refused.Content.ReadAsStringAsync();
        Assert.True(refused.StatusCode == HttpStatusCode.BadRequest, $"{(int)refused.StatusCode}: {body}");
        Assert.Contains("package.decoder", body, StringComparison.Ordinal);
        Assert.Contains(reason, body, StringComparison.Ordinal);
    }

    /// <summary>The files of <paramref name="directory"/> as a zip, without <paramref name="except"/>, with each <c>(entry, source)</c> of <paramref name="copies"/> holding the source file's bytes.</summary>
    private static byte[] Zip(string directory, string? except, params (string Entry, string Source)[] copies)
    {
        using var buffer = new MemoryStream();
        using (var archive = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var file in Directory.GetFiles(directory).Where(f => Path.GetFileName(f) != except))
            {
                var name = Path.GetFileName(file);
                var source = copies.FirstOrDefault(c => c.Entry == name).Source ?? name;
                archive.CreateEntryFromFile(Path.Combine(directory, source), name);
            }
        }

        return buffer.ToArray();
    }
}
