using SpeechServe.Tests.Support;

namespace SpeechServe.Export.Tests.Onnx;

/// <summary>Runs Python snippets with the reference <c>onnx</c> package (Debian's python3-onnx).</summary>
public static class OnnxPython
{
    /// <summary>
    /// Runs <paramref name="script"/> with <paramref name="arguments"/> as <c>sys.argv[1:]</c> and
    /// returns its standard output; fails the test, with Python's error output, on a non-zero exit.
    /// </summary>
    public static string Run(string script, params string[] arguments)
    {
        var result = TryRun(script, arguments);
        Assert.True(result.ExitCode == 0, $"Python exited with {result.ExitCode}:\n{result.Error}\n{result.Output}");
        return result.Output;
    }

    /// <summary>Runs <paramref name="script"/> and returns its exit code and outputs, whatever the exit code.</summary>
    public static PythonResult TryRun(string script, params string[] arguments)
    {
        var result = DebianPython.Run(["-c", script, .. arguments]);
        if (result.Error.Contains("No module named 'onnx'", StringComparison.Ordinal))
        {
            Assert.Fail($"{DebianPython.Interpreter} has no onnx package; install python3-onnx (scripts/setup.sh).");
        }

        return result;
    }
}
