namespace SpeechServe.Export.Tests.Onnx;

/// <summary>
/// Base of the export test fixtures: one temporary directory for everything a fixture writes.
/// </summary>
public abstract class ExportFixture : IDisposable
{
    /// <summary>The fixture's directory, removed on dispose.</summary>
    protected TempDirectory Scratch { get; } = new();

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
        Scratch.Dispose();
        GC.SuppressFinalize(this);
    }
}
