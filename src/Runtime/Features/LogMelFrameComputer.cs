using System.Numerics;

namespace SpeechServe.Runtime.Features;

/// <summary>
/// Computes one log-mel frame (window, zero-pad, power spectrum, mel filters, log) in double precision.
/// Holds scratch buffers, so one instance serves one thread.
/// </summary>
internal sealed class LogMelFrameComputer
{
    private static readonly double[] Window = LogMelSpec.PeriodicHann();
    private readonly RealFft _fft = new(LogMelSpec.FftSize);
    private readonly double[] _frame = new double[LogMelSpec.FftSize];
    private readonly double[] _power = new double[LogMelSpec.FrequencyBins];
    private readonly double[] _energies = new double[LogMelSpec.MelBins];
    private readonly MelFilterBank _filters = MelFilterBank.Reference;

    /// <summary>Writes the 80 features of the frame that starts at <paramref name="samples"/>[0].</summary>
    public void Compute(ReadOnlySpan<float> samples, Span<float> features)
    {
        var frame = _frame.AsSpan();
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            // Widen floats to doubles and multiply by the window, Vector<float>.Count samples at a time.
            for (; i <= LogMelSpec.WindowLength - Vector<float>.Count; i += Vector<float>.Count)
            {
                Vector.Widen(new Vector<float>(samples[i..]), out var low, out var high);
                (low * new Vector<double>(Window, i)).CopyTo(frame[i..]);
                (high * new Vector<double>(Window, i + Vector<double>.Count)).CopyTo(frame[(i + Vector<double>.Count)..]);
            }
        }

        for (; i < LogMelSpec.WindowLength; i++)
        {
            frame[i] = samples[i] * Window[i];
        }

        frame[LogMelSpec.WindowLength..].Clear();
        _fft.PowerSpectrum(frame, _power);
        _filters.Apply(_power, _energies);
        for (var m = 0; m < LogMelSpec.MelBins; m++)
        {
            features[m] = (float)Math.Log(Math.Max(_energies[m], LogMelSpec.LogFloor));
        }
    }
}
