namespace SpeechServe.Runtime.Audio;

/// <summary>
/// The one entry point from uploaded bytes to 16 kHz mono samples. WAV is decoded in process
/// (<see cref="WavParser"/>) and resampled with <see cref="PolyphaseResampler"/>; FLAC, MP3, Ogg/Opus, WebM,
/// MP4/M4A, AAC and AIFF are decoded by ffmpeg. Every rejection is an <see cref="AudioFormatException"/>.
/// </summary>
/// <param name="ffmpeg">Where ffmpeg lives; null uses <c>ffmpeg</c> on PATH.</param>
public sealed class AudioDecoder(FfmpegOptions? ffmpeg = null)
{
    /// <summary>The sample rate of every decoded output, in Hz.</summary>
    public const int TargetSampleRate = 16_000;

    private readonly FfmpegOptions _ffmpeg = ffmpeg ?? new FfmpegOptions();

    /// <summary>Decodes an audio file to mono 16 kHz float samples.</summary>
    /// <exception cref="AudioFormatException">The input is empty, malformed, unsupported, too long, or ffmpeg failed or timed out.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<DecodedAudio> DecodeAsync(ReadOnlyMemory<byte> input, AudioLimits? limits = null, CancellationToken cancellationToken = default)
    {
        limits ??= AudioLimits.Default;
        if (input.IsEmpty)
        {
            throw new AudioFormatException(AudioErrorCode.EmptyAudio, "The audio file is empty. Send a non-empty audio file.");
        }

        var container = ContainerSniffer.Detect(input.Span);
        switch (container)
        {
            case AudioContainer.Wav:
                return DecodeWav(input, limits);
            case AudioContainer.Unknown:
                throw new AudioFormatException(
                    AudioErrorCode.UnsupportedMediaType,
                    "The file is not a recognised audio format. Send WAV, FLAC, MP3, OGG (Opus/Vorbis), WebM, M4A/MP4, AAC or AIFF.");
            default:
                return await FfmpegDecoder.DecodeAsync(input, container, _ffmpeg, limits, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Decodes a WAV file held in memory (no ffmpeg involved).</summary>
    /// <exception cref="AudioFormatException">The input is not a valid, supported WAV file, or it is too long.</exception>
    public static DecodedAudio DecodeWav(ReadOnlyMemory<byte> input, AudioLimits? limits = null)
    {
        var wav = WavParser.Parse(input, limits);
        var format = wav.Format;
        var samples = format.SampleRate == TargetSampleRate
            ? wav.Samples
            : new PolyphaseResampler(format.SampleRate, TargetSampleRate).Process(wav.Samples);
        return new DecodedAudio(samples, AudioContainer.Wav, format.EncodingName, format.SampleRate, format.Channels);
    }
}
