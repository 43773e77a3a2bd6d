using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using SpeechServe.Export.Repository;
using SpeechServe.Serving.Tests.Support;

namespace SpeechServe.Serving.Tests.Admin;

/// <summary>
/// The real server with its adapter store (<c>Adapters:StorePath</c>) on a small tmpfs. An upload that fills
/// the disk must get 507, leave no partial files or versions, and the stored version must keep serving; an
/// activation whose pointer cannot be written must get 507 too, keep the active version serving, and not keep
/// the other version's weights.
/// </summary>
public sealed class AdapterStoreDiskFullTests
{
    private const string AdminKey = "disk-full-admin-key";
    private const int PageBytes = 4096;

    [SmallFilesystemFact]
    public async Task Upload_StoreDiskFull_507NothingStoredAndTheActiveVersionServes()
    {
        using var repository = RandomModelRepository.Create();
        var package = ExportAdapter(repository, "medical");
        var zip = await File.ReadAllBytesAsync(package);
        // Room for one version (its files, SHA256SUMS and the active pointer, each at least a page) and half of another.
        long filesBytes;
        using (var archive = ZipFile.OpenRead(package))
        {
            filesBytes = archive.Entries.Sum(e => RoundUpToPage(e.Length));
        }

        using var disk = SmallFilesystem.Mount(Path.Combine(repository.ScratchPath, "store"), filesBytes + (filesBytes / 2) + (4 * PageBytes));
        await using var server = await StartServerAsync(repository, disk);
        using var client = AdminClient(server);
        var store = Path.Combine(disk.Path, RandomModelRepository.ModelId);

        using (var first = await UploadAsync(client, "medical", zip))
        {
            await ResponseAssert.StatusAsync(first, HttpStatusCode.Created);
        }

        var before = StoreEntries(store);
        // A new version of the stored adapter, then a new adapter.
        foreach (var (name, bytes) in (IEnumerable<(string, byte[])>)[("medical", zip), ("callcenter", await File.ReadAllBytesAsync(ExportAdapter(repository, "callcenter")))])
        {
            using var full = await UploadAsync(client, name, bytes);
            var body = await ResponseAssert.StatusAsync(full, HttpStatusCode.InsufficientStorage);
            Assert.Equal("application/problem+json", full.Content.Headers.ContentType?.MediaType);
            using var problem = JsonDocument.Parse(body);
            Assert.Equal("insufficient_storage", problem.RootElement.GetProperty("code").GetString());
            Assert.Contains("Nothing was stored", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.Equal(before, StoreEntries(store));
        }

        using (var list = await client.GetAsync(new Uri("/admin/adapters", UriKind.Relative)))
        {
            using var adapters = JsonDocument.Parse(await ResponseAssert.OkAsync(list));
            var only = Assert.Single(adapters.RootElement.GetProperty("adapters").EnumerateArray());
            Assert.Equal("medical", only.GetProperty("name").GetString());
            Assert.Equal([1], only.GetProperty("versions").EnumerateArray().Select(v => v.GetInt32()));
            Assert.Equal(1, only.GetProperty("active_version").GetInt32());
        }

        using var transcription = await TranscriptionUpload.PostAsync(client, await TestSpeechWavAsync(repository), "medical");
        await ResponseAssert.OkAsync(transcription);
        Assert.Equal("medical@1", Assert.Single(transcription.Headers.GetValues("X-SpeechServe-Adapter")));
        server.AssertRunning();
    }

    [SmallFilesystemFact]
    public async Task Activate_StoreDiskFull_507TheActiveVersionServesAndTheOtherIsNotKept()
    {
        using var repository = RandomModelRepository.Create();
        var zip = await File.ReadAllBytesAsync(ExportAdapter(repository, "medical"));
        using var disk = SmallFilesystem.Mount(Path.Combine(repository.ScratchPath, "store"), 16L * 1024 * 1024);
        await using var server = await StartServerAsync(repository, disk);
        using var client = AdminClient(server);
        using (var first = await UploadAsync(client, "medical", zip))
        {
            await ResponseAssert.StatusAsync(first, HttpStatusCode.Created);
        }

        using (var second = await UploadAsync(client, "medical", zip, activate: false))
        {
            await ResponseAssert.StatusAsync(second, HttpStatusCode.Created);
        }

        var residentOne = (await DescribeAsync(client)).ResidentBytes;
        FillDisk(Path.Combine(disk.Path, "filler"));
        using (var activate = await ActivateAsync(client, "medical", 2))
        {
            var body = await ResponseAssert.StatusAsync(activate, HttpStatusCode.InsufficientStorage);
            Assert.Contains("The active version was not changed", body, StringComparison.Ordinal);
        }

        var after = await DescribeAsync(client);
        Assert.Equal(1, after.ActiveVersion);
        Assert.Equal(residentOne, after.ResidentBytes);
        var wav = await TestSpeechWavAsync(repository);
        using (var transcription = await TranscriptionUpload.PostAsync(client, wav, "medical"))
        {
            await ResponseAssert.OkAsync(transcription);
            Assert.Equal("medical@1", Assert.Single(transcription.Headers.GetValues("X-SpeechServe-Adapter")));
        }

        File.Delete(Path.Combine(disk.Path, "filler"));
        using (var activate = await ActivateAsync(client, "medical", 2))
        {
            await ResponseAssert.OkAsync(activate);
        }

        using (var transcription = await TranscriptionUpload.PostAsync(client, wav, "medical"))
        {
            Assert.Equal("medical@2", Assert.Single(transcription.Headers.GetValues("X-SpeechServe-Adapter")));
        }

        server.AssertRunning();
    }

    private static void FillDisk(string path)
    {
        using var filler = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
        var block = new byte[64 * 1024];
        try
        {
            while (true)
            {
                filler.Write(block);
                filler.Flush();
            }
        }
        catch (IOException)
        {
            // The disk is full; a partial block may remain unwritten.
        }
    }

    private static async Task<(int? ActiveVersion, long ResidentBytes)> DescribeAsync(HttpClient client)
    {
        using var list = await client.GetAsync(new Uri("/admin/adapters", UriKind.Relative));
        using var adapters = JsonDocument.Parse(await ResponseAssert.OkAsync(list));
        var medical = Assert.Single(adapters.RootElement.GetProperty("adapters").EnumerateArray());
        return (medical.GetProperty("active_version").GetInt32(), medical.GetProperty("resident_bytes").GetInt64());
    }

    private static async Task<HttpResponseMessage> ActivateAsync(HttpClient client, string name, int version)
    {
        using var content = new StringContent($"{{\"version\":{version}}}", System.Text.Encoding.UTF8, "application/json");
        return await client.PostAsync(new Uri($"/admin/adapters/{name}/activate", UriKind.Relative), content);
    }

    private static Task<ServingProcess> StartServerAsync(RandomModelRepository repository, SmallFilesystem disk) =>
        ServingProcess.StartAsync(
            new Dictionary<string, string>
            {
                ["Serving__ModelsPath"] = repository.ModelsPath,
                ["Adapters__StorePath"] = disk.Path,
                ["Admin__ApiKey"] = AdminKey,
            },
            TimeSpan.FromSeconds(60));

    private static HttpClient AdminClient(ServingProcess server)
    {
        var client = server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        return client;
    }

    private static string ExportAdapter(RandomModelRepository repository, string name)
    {
        var package = Path.Combine(repository.ScratchPath, $"{name}.zip");
        AdapterExporter.Export(new AdapterExportRequest
        {
            CheckpointPath = repository.CheckpointPath, ModelDirectory = repository.ModelDirectory, OutputPath = package, Name = name,
        });
        return package;
    }

    private static long RoundUpToPage(long bytes) => (bytes + PageBytes - 1) / PageBytes * PageBytes;

    private static async Task<HttpResponseMessage> UploadAsync(HttpClient client, string name, byte[] zip, bool activate = true)
    {
        using var content = new ByteArrayContent(zip);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
        return await client.PutAsync(new Uri($"/admin/adapters/{name}{(activate ? "" : "?activate=false")}", UriKind.Relative), content);
    }

    // Every file and directory under the store, with its size, so that any partial write would show.
    private static List<string> StoreEntries(string store) => Directory
        .EnumerateFileSystemEntries(store, "*", SearchOption.AllDirectories)
        .Select(e => $"{Path.GetRelativePath(store, e)} {(File.Exists(e) ? new FileInfo(e).Length : -1)}")
        .Order(StringComparer.Ordinal)
        .ToList();

    private static async Task<byte[]> TestSpeechWavAsync(RandomModelRepository repository) =>
        await (await TestSpeech.CreateAsync(repository.ScratchPath)).WavAsync(16_000);
}
