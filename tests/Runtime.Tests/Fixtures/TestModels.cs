using SpeechServe.Tests.Support;

namespace SpeechServe.Runtime.Tests.Fixtures;

/// <summary>
/// Generates the test models once per test run with Debian's Python and its <c>onnx</c> package
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

    /// <summary>sum = a + b and y = sum @ W, W[i, j] = 0.5 * (i + 1) - j (4 x 3); a and b are [batch, 4].</summary>
    public string AddMatMul => Path.Combine(Directory, "add_matmul.onnx");

    /// <summary>probs = softmax(x) over the last axis; x is [batch, frames, 5].</summary>
    public string Softmax => Path.Combine(Directory, "softmax.onnx");

    /// <summary>i64 + 7, i32 * 3, -i8, u8 unchanged and not flags, all [n].</summary>
    public string Dtypes => Path.Combine(Directory, "dtypes.onnx");

    /// <summary>y = 2 * x with x [n].</summary>
    public string Scale => Path.Combine(Directory, "scale.onnx");

    /// <summary>The W initializer of <see cref="AddMatMul"/>.</summary>
    public static float AddMatMulWeight(int row, int column) => (0.5f * (row + 1)) - column;

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
