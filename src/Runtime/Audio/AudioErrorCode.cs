namespace SpeechServe.Runtime.Audio;

/// <summary>
/// Why an audio input was rejected. Each value has a stable snake_case wire name
/// (<see cref="AudioFormatException.Code"/>) that the serving layer puts in error responses.
/// </summary>
public enum AudioErrorCode
{
    /// <summary>The input has no bytes, or its audio holds no samples. HTTP 400.</summary>
    EmptyAudio,

    /// <summary>The input ends inside the RIFF header or inside a chunk header. HTTP 400.</summary>
    TruncatedHeader,

    /// <summary>The input starts like RIFF but is not RIFF/WAVE. HTTP 400.</summary>
    NotRiffWave,

    /// <summary>No <c>fmt </c> chunk before the <c>data</c> chunk. HTTP 400.</summary>
    MissingFormatChunk,

    /// <summary>No <c>data</c> chunk. HTTP 400.</summary>
    MissingDataChunk,

    /// <summary>A header declares more bytes than the input holds (a lying or truncated header). HTTP 400.</summary>
    ChunkSizeExceedsInput,

    /// <summary>The format chunk declares zero channels. HTTP 400.</summary>
    ZeroChannels,

    /// <summary>The sample rate is outside the accepted range. HTTP 400.</summary>
    UnsupportedSampleRate,

    /// <summary>The WAV format code (or extensible sub-format) is not one we decode. HTTP 415.</summary>
    UnsupportedEncoding,

    /// <summary>The bits per sample do not fit the format code. HTTP 415.</summary>
    UnsupportedBitsPerSample,

    /// <summary>The block align disagrees with channels × bytes per sample. HTTP 400.</summary>
    BlockAlignMismatch,

    /// <summary>A floating-point sample is NaN or infinite. HTTP 400.</summary>
    NonFiniteSample,

    /// <summary>The audio is longer than <see cref="AudioLimits.MaxDuration"/> or its decoded size exceeds the cap. HTTP 413.</summary>
    AudioTooLong,

    /// <summary>The container is not recognised, or it needs ffmpeg and ffmpeg is not installed. HTTP 415.</summary>
    UnsupportedMediaType,

    /// <summary>ffmpeg could not decode the input. HTTP 400.</summary>
    DecodeFailed,

    /// <summary>ffmpeg did not finish within <see cref="AudioLimits.DecodeTimeout"/>. HTTP 408 or 400.</summary>
    DecodeTimeout,

    /// <summary>ffmpeg was killed by a signal (it crashed, or something else killed it): a server-side failure. HTTP 500.</summary>
    DecoderCrashed,
}
