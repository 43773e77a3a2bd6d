using FsCheck;
using FsCheck.Fluent;

namespace SpeechServe.Tests.Support;

/// <summary>
/// Runs parser properties with a modest number of cases (so the suite stays fast) and the checks every
/// network-fed parser must pass: only its documented exception escapes, and it allocates within a bound.
/// A failure reports the input as base64 (small inputs) or the path of a file holding it (large ones), ready
/// for a regression test.
/// </summary>
internal static class ParserProperty
{
    /// <summary>Cases per property.</summary>
    public const int Cases = 300;

    /// <summary>Checks <paramref name="property"/> for <paramref name="cases"/> inputs from <paramref name="inputs"/>.</summary>
    public static void Check<T>(Gen<T> inputs, Action<T> property, int cases = Cases) =>
        Prop.ForAll(inputs.ToArbitrary(), property).Check(Config.QuickThrowOnFailure.WithMaxTest(cases).WithQuietOnSuccess(true));

    /// <summary>
    /// Runs <paramref name="parse"/> on <paramref name="input"/>: it must return or throw
    /// <typeparamref name="TException"/>, and allocate at most <paramref name="maxAllocatedBytes"/> on this thread.
    /// Returns the result, or default when it threw the documented exception.
    /// </summary>
    public static TResult? Guarded<TResult, TException>(byte[] input, long maxAllocatedBytes, Func<byte[], TResult> parse)
        where TException : Exception
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        TResult? result = default;
        try
        {
            result = parse(input);
        }
        catch (TException)
        {
        }
        catch (Exception ex)
        {
            throw new InvalidOperationException(
                $"{ex.GetType().Name} instead of {typeof(TException).Name} for input {Describe(input)}: {ex}", ex);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        if (allocated > maxAllocatedBytes)
        {
            throw new InvalidOperationException(
                $"Allocated {allocated} bytes, more than the bound of {maxAllocatedBytes}, for a {input.Length}-byte input {Describe(input)}.");
        }

        return result;
    }

    private static string Describe(byte[] input)
    {
        if (input.Length <= 2048)
        {
            return "(base64) " + Convert.ToBase64String(input);
        }

        var path = Path.Combine(Path.GetTempPath(), $"speechserve-property-{Guid.NewGuid():N}.bin");
        File.WriteAllBytes(path, input);
        return $"of {input.Length} bytes written to {path}";
    }
}
