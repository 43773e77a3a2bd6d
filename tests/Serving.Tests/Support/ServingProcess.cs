using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace SpeechServe.Serving.Tests.Support;

/// <summary>
/// The real server, <c>SpeechServe.Serving.dll</c> from the test output, run as a separate process on a free
/// loopback port with the given configuration in its environment. Its console output is kept so that a
/// failing test can show what the server said, and whole so that a test can search all of it.
/// </summary>
internal sealed class ServingProcess : IAsyncDisposable
{
    private const int KeptLines = 400;
    private readonly Process _process;
    private readonly Queue<string> _output = new();
    private readonly System.Text.StringBuilder _transcript = new();
    private int _lines;

    private ServingProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    /// <summary>Where the server listens, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The last lines the server wrote to stdout and stderr.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return string.Join('\n', _output);
            }
        }
    }

    /// <summary>Everything the server wrote to stdout and stderr so far.</summary>
    public string FullOutput
    {
        get
        {
            lock (_output)
            {
                return _transcript.ToString();
            }
        }
    }

    /// <summary>Waits until the server has written nothing for <paramref name="quiet"/> (its console logger writes asynchronously).</summary>
    public async Task WaitForQuietOutputAsync(TimeSpan quiet, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        var last = -1;
        while (watch.Elapsed < timeout)
        {
            int lines;
            lock (_output)
            {
                lines = _lines;
            }

            if (lines == last)
            {
                return;
            }

            last = lines;
            await Task.Delay(quiet);
        }
    }

    /// <summary>The HTTPS address, e.g. <c>https://127.0.0.1:41235/</c>, when the server was started with one.</summary>
    public Uri? HttpsAddress { get; private init; }

    /// <summary>Starts the server and waits until <c>GET /readyz</c> answers 200.</summary>
    /// <param name="configuration">Configuration, as environment variables.</param>
    /// <param name="readyTimeout">How long to wait for readiness.</param>
    /// <param name="https">Whether to listen on a second port with HTTPS (the configuration must name Kestrel's default certificate).</param>
    public static async Task<ServingProcess> StartAsync(IReadOnlyDictionary<string, string> configuration, TimeSpan readyTimeout, bool https = false)
    {
        var port = FreePort();
        var httpsPort = https ? FreePort() : (int?)null;
        var serverDll = Path.Combine(AppContext.BaseDirectory, "SpeechServe.Serving.dll");
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        var urls = $"http://127.0.0.1:{port}" + (httpsPort is { } secure ? $";https://127.0.0.1:{secure}" : string.Empty);
        foreach (var argument in (string[])[serverDll, "--urls", urls])
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in configuration)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {start.FileName}.");
        var server = new ServingProcess(process, new Uri($"http://127.0.0.1:{port}/"))
        {
            HttpsAddress = httpsPort is { } securePort ? new Uri($"https://127.0.0.1:{securePort}/") : null,
        };
        process.OutputDataReceived += (_, e) => server.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => server.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await server.WaitUntilReadyAsync(readyTimeout);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    /// <summary>A client for the server; requests time out after a minute rather than hang a test run.</summary>
    public HttpClient CreateClient() => new() { BaseAddress = BaseAddress, Timeout = TimeSpan.FromMinutes(1) };

    /// <summary>Fails when the server process has exited, showing its output.</summary>
    public void AssertRunning() =>
        Assert.False(_process.HasExited, $"The server exited with {(_process.HasExited ? _process.ExitCode : 0)}:\n{Output}");

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(deadline.Token);
        }

        _process.Dispose();
    }

    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Waits until <c>/readyz</c> answers 200 (the models loaded, no inference breaker open).</summary>
    public async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var watch = Stopwatch.StartNew();
        var last = "no answer";
        while (watch.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The server exited with {_process.ExitCode} before it was ready:\n{Output}");
            }

            try
            {
                using var response = await client.GetAsync(new Uri("/readyz", UriKind.Relative));
                last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // TaskCanceledException: a probe that took longer than its 5 s while the machine is busy
                // (several servers loading models at once); keep asking until the overall timeout.
                last = ex.Message;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"The server was not ready within {timeout.TotalSeconds} s (last /readyz: {last}):\n{Output}");
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _lines++;
            _transcript.Append(line).Append('\n');
            _output.Enqueue(line);
            if (_output.Count > KeptLines)
            {
                _output.Dequeue();
            }
        }
    }
}
