using SpeechServe.Runtime.Onnx;

namespace SpeechServe.Export.Tests.Onnx;

/// <summary>
/// Base of the export test fixtures: one temporary directory for everything a fixture writes, and the
/// process's ONNX Runtime environment, created on first use.
/// </summary>
public abstract class ExportFixture : IDisposable
{
    private readonly Lazy<OnnxEnvironment> _environment = new(() => OnnxEnvironment.Create());

    /// <summary>The fixture's directory, removed on dispose.</summary>
    protected TempDirectory Scratch { get; } = new();

    /// <summary>The process's ONNX Runtime environment.</summary>
    public OnnxEnvironment Environment => _environment.Value;

    /// <summary>A fresh directory for a test's own outputs, inside the fixture's.</summary>
    public string NewDirectory()
    {
        var path = Path.Combine(Scratch.Path, "t-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(path);
        return path;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_environment.IsValueCreated)
        {
            _environment.Value.Dispose();
        }

        Scratch.Dispose();
        GC.SuppressFinalize(this);
    }
}
