using SpeechServe.Tests.Support;

namespace SpeechServe.Runtime.Tests.Fixtures;

/// <summary>
/// Generates the test model once per test run with Debian's Python and its <c>onnx</c> package
/// (<c>Fixtures/make_test_models.py</c>) into a temporary directory that is deleted afterwards.
/// </summary>
public sealed class TestModels : IDisposable
{
    private const string ScriptName = "make_test_models.py";

    public TestModels()
    {
        Directory = Path.Combine(Path.GetTempPath(), "speechserve-runtime-tests-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        var script = Path.Combine(AppContext.BaseDirectory, "Fixtures", ScriptName);
        var result = DebianPython.Run([script, Directory]);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{ScriptName} failed (exit {result.ExitCode}); it needs python3-onnx (scripts/setup.sh): {result.Error}");
        }
    }

    /// <summary>Directory holding the generated models.</summary>
    public string Directory { get; }

    /// <summary>y = 2 * x with x [n].</summary>
    public string Scale => Path.Combine(Directory, "scale.onnx");

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
