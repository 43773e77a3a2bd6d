using SpeechServe.Runtime.Audio;

namespace SpeechServe.Serving.Realtime;

/// <summary>An input audio format of OpenAI's Realtime API, by its current and its earlier name.</summary>
/// <param name="BetaName">The name in <c>input_audio_format</c> (<c>transcription_session.update</c>).</param>
/// <param name="Type">The <c>audio.input.format.type</c> (<c>session.update</c>).</param>
/// <param name="Encoding">How a sample is stored.</param>
/// <param name="SampleRate">Samples per second.</param>
internal sealed record RealtimeAudioFormat(string BetaName, string Type, SampleEncoding Encoding, int SampleRate)
{
    /// <summary>16-bit little-endian PCM at 24 kHz, mono: the default.</summary>
    public static RealtimeAudioFormat Pcm16 { get; } = new("pcm16", "audio/pcm", SampleEncoding.PcmSigned16, 24_000);

    /// <summary>The formats the API names.</summary>
    public static IReadOnlyList<RealtimeAudioFormat> All { get; } =
    [
        Pcm16,
        new("g711_ulaw", "audio/pcmu", SampleEncoding.MuLaw, 8_000),
        new("g711_alaw", "audio/pcma", SampleEncoding.ALaw, 8_000),
    ];
}
