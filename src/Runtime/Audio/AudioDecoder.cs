namespace SpeechServe.Runtime.Audio;

/// <summary>
/// The one entry point from uploaded bytes to 16 kHz mono samples. WAV is decoded in process
/// (<see cref="WavParser"/>) and resampled with <see cref="PolyphaseResampler"/>; FLAC, MP3, Ogg/Opus, WebM,
/// MP4/M4A, AAC and AIFF are decoded by ffmpeg. Either all at once (<see cref="DecodeAsync"/>) or as a stream of
/// samples (<see cref="OpenAsync"/>). Every rejection is an <see cref="AudioFormatException"/>.
/// </summary>
/// <param name="ffmpeg">Where ffmpeg lives; null uses <c>ffmpeg</c> on PATH.</param>
public sealed class AudioDecoder(FfmpegOptions? ffmpeg = null)
{
    /// <summary>The sample rate of every decoded output, in Hz.</summary>
    public const int TargetSampleRate = 16_000;

    private readonly FfmpegOptions _ffmpeg = ffmpeg ?? new FfmpegOptions();

    /// <summary>Decodes an audio file to mono 16 kHz float samples, all of them in memory.</summary>
    /// <exception cref="AudioFormatException">The input is empty, malformed, unsupported, too long, or ffmpeg failed or timed out.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<DecodedAudio> DecodeAsync(ReadOnlyMemory<byte> input, AudioLimits? limits = null, CancellationToken cancellationToken = default)
    {
        if (Sniff(input) == AudioContainer.Wav)
        {
            return DecodeWav(input, limits);
        }

        var reader = await OpenAsync(input, limits, cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            return await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Starts decoding an audio file to mono 16 kHz float samples that are read in pieces, so that the decoded audio
    /// is never held whole. WAV headers (and a WAV file's length) are checked here; what ffmpeg finds wrong, and
    /// anything found in the samples, comes from the read that meets it. <paramref name="input"/> must stay unchanged
    /// until the reader is disposed.
    /// </summary>
    /// <exception cref="AudioFormatException">The input is empty, not a known format, a malformed or too long WAV file, or it needs ffmpeg and ffmpeg is not installed.</exception>
    public async Task<AudioSampleReader> OpenAsync(ReadOnlyMemory<byte> input, AudioLimits? limits = null, CancellationToken cancellationToken = default)
    {
        limits ??= AudioLimits.Default;
        var container = Sniff(input);
        return container == AudioContainer.Wav
            ? new WavSampleReader(input, limits)
            : await FfmpegSampleReader.StartAsync(input, container, _ffmpeg, limits, cancellationToken).ConfigureAwait(false);
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

    // The container of a non-empty input that can be decoded; every other input is refused here.
    private static AudioContainer Sniff(ReadOnlyMemory<byte> input)
    {
        if (input.IsEmpty)
        {
            throw new AudioFormatException(AudioErrorCode.EmptyAudio, "The audio file is empty. Send a non-empty audio file.");
        }

        var container = ContainerSniffer.Detect(input.Span);
        return container != AudioContainer.Unknown
            ? container
            : throw new AudioFormatException(
                AudioErrorCode.UnsupportedMediaType,
                "The file is not a recognised audio format. Send WAV, FLAC, MP3, OGG (Opus/Vorbis), WebM, M4A/MP4, AAC or AIFF.");
    }
}
