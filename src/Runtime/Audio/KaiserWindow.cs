namespace SpeechServe.Runtime.Audio;

/// <summary>The Kaiser window and its design formulas (Kaiser, 1974; Oppenheim and Schafer, 7.6).</summary>
internal static class KaiserWindow
{
    /// <summary>The window shape parameter beta for a stopband attenuation in dB.</summary>
    public static double Beta(double attenuationDb) => attenuationDb > 50
        ? 0.1102 * (attenuationDb - 8.7)
        : attenuationDb >= 21
            ? (0.5842 * Math.Pow(attenuationDb - 21, 0.4)) + (0.07886 * (attenuationDb - 21))
            : 0;

    /// <summary>The window length (in samples) for an attenuation and a transition width in cycles per sample.</summary>
    public static double Length(double attenuationDb, double transitionWidth) =>
        (attenuationDb - 8) / (2.285 * 2 * Math.PI * transitionWidth);

    /// <summary>The window at <paramref name="t"/> for a window spanning [-halfWidth, halfWidth].</summary>
    public static double Value(double t, double halfWidth, double beta)
    {
        var r = t / halfWidth;
        if (r is <= -1 or >= 1)
        {
            return 0;
        }

        return BesselI0(beta * Math.Sqrt(1 - (r * r))) / BesselI0(beta);
    }

    /// <summary>The zeroth-order modified Bessel function of the first kind, by its power series.</summary>
    public static double BesselI0(double x)
    {
        var sum = 1.0;
        var term = 1.0;
        var halfX = x / 2;
        for (var k = 1; k < 200; k++)
        {
            term *= halfX / k;
            var squared = term * term;
            sum += squared;
            if (squared < sum * 1e-17)
            {
                break;
            }
        }

        return sum;
    }
}
