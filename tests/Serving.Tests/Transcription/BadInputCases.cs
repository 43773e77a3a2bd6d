using System.Buffers.Binary;
using System.Net;
using System.Text;
using SpeechServe.Runtime.Audio;
using SpeechServe.Runtime.Tests.Audio;
using SpeechServe.Serving.Tests.Support;

namespace SpeechServe.Serving.Tests.Transcription;

/// <summary>
/// The bad requests of docs/api.md ("Errors"), each with the status and OpenAI error code it must get. The
/// audio cases start from a valid WAV of the spoken sentence and break one thing.
/// </summary>
internal static class BadInputCases
{
    private const string Model = RandomModelRepository.ModelId;

    public static TheoryData<string, HttpStatusCode, string> All => new()
    {
        { "no file part", HttpStatusCode.BadRequest, "missing_file" },
        { "file sent as a text field", HttpStatusCode.BadRequest, "missing_file" },
        { "empty file", HttpStatusCode.BadRequest, "empty_file" },
        { "missing model", HttpStatusCode.BadRequest, "missing_model" },
        { "unknown model", HttpStatusCode.NotFound, "model_not_found" },
        { "bad response_format", HttpStatusCode.BadRequest, "invalid_response_format" },
        { "temperature above 1", HttpStatusCode.BadRequest, "invalid_temperature" },
        { "temperature not a number", HttpStatusCode.BadRequest, "invalid_temperature" },
        { "language the model does not recognise", HttpStatusCode.BadRequest, "unsupported_language" },
        { "hotword score not a number", HttpStatusCode.BadRequest, "invalid_hotwords" },
        { "more than 100 hotwords", HttpStatusCode.BadRequest, "invalid_hotwords" },
        { "stream not a boolean", HttpStatusCode.BadRequest, "invalid_stream" },
        { "stream with verbose_json", HttpStatusCode.BadRequest, "invalid_stream" },
        { "unknown timestamp granularity", HttpStatusCode.BadRequest, "invalid_timestamp_granularity" },
        { "word granularity without verbose_json", HttpStatusCode.BadRequest, "invalid_timestamp_granularity" },
        { "JSON body instead of multipart", HttpStatusCode.UnsupportedMediaType, "invalid_content_type" },
        { "malformed multipart body", HttpStatusCode.BadRequest, "invalid_multipart" },
        { "multipart boundary over 70 characters", HttpStatusCode.BadRequest, "invalid_multipart" },
        { "body over the limit", HttpStatusCode.RequestEntityTooLarge, "request_too_large" },
        { "chunked body over the limit", HttpStatusCode.RequestEntityTooLarge, "request_too_large" },
        { "audio longer than the limit", HttpStatusCode.RequestEntityTooLarge, "audio_too_long" },
        { "WAV cut inside its RIFF header", HttpStatusCode.BadRequest, "truncated_header" },
        { "WAV cut inside its fmt chunk", HttpStatusCode.BadRequest, "chunk_size_exceeds_input" },
        { "WAV cut inside its data", HttpStatusCode.BadRequest, "chunk_size_exceeds_input" },
        { "WAV whose RIFF size lies", HttpStatusCode.BadRequest, "chunk_size_exceeds_input" },
        { "WAV without samples", HttpStatusCode.BadRequest, "empty_audio" },
        { "float WAV with NaN samples", HttpStatusCode.BadRequest, "non_finite_sample" },
        { "WAV with zero channels", HttpStatusCode.BadRequest, "zero_channels" },
        { "WAV at 4 GHz", HttpStatusCode.BadRequest, "unsupported_sample_rate" },
        { "WAV with a wrong block align", HttpStatusCode.BadRequest, "block_align_mismatch" },
        { "ADPCM WAV", HttpStatusCode.UnsupportedMediaType, "unsupported_encoding" },
        { "12-bit PCM WAV", HttpStatusCode.UnsupportedMediaType, "unsupported_bits_per_sample" },
        { "garbage bytes", HttpStatusCode.UnsupportedMediaType, "unsupported_media_type" },
        { "FLAC signature over garbage", HttpStatusCode.BadRequest, "decode_failed" },
    };

    /// <summary>The request for the case called <paramref name="name"/>.</summary>
    public static async Task<HttpRequestMessage> RequestAsync(string name, TestSpeech speech)
    {
        var wav = await speech.WavAsync(16_000);
        HttpContent content = name switch
        {
            "no file part" => TranscriptionUpload.Create(null, Model),
            "file sent as a text field" => TextFile(),
            "empty file" => TranscriptionUpload.Create([], Model),
            "missing model" => TranscriptionUpload.Create(wav, null),
            "unknown model" => TranscriptionUpload.Create(wav, "whisper-1"),
            "bad response_format" => TranscriptionUpload.Create(wav, Model, fields: ("response_format", "xml")),
            "temperature above 1" => TranscriptionUpload.Create(wav, Model, fields: ("temperature", "2.5")),
            "temperature not a number" => TranscriptionUpload.Create(wav, Model, fields: ("temperature", "warm")),
            "language the model does not recognise" => TranscriptionUpload.Create(wav, Model, fields: ("language", "de")),
            "hotword score not a number" => TranscriptionUpload.Create(wav, Model, fields: ("hotwords", "committee :high")),
            "more than 100 hotwords" => TranscriptionUpload.Create(wav, Model, fields: ("hotwords", string.Join(',', Enumerable.Range(0, 101).Select(i => $"word{i}")))),
            "stream not a boolean" => TranscriptionUpload.Create(wav, Model, fields: ("stream", "often")),
            "stream with verbose_json" => TranscriptionUpload.Create(wav, Model, fields: [("stream", "true"), ("response_format", "verbose_json")]),
            "unknown timestamp granularity" => TranscriptionUpload.Create(
                wav, Model, fields: [("response_format", "verbose_json"), ("timestamp_granularities[]", "sentence")]),
            "word granularity without verbose_json" => TranscriptionUpload.Create(wav, Model, fields: ("timestamp_granularities[]", "word")),
            "JSON body instead of multipart" => new StringContent($$"""{"model":"{{Model}}","file":"AAAA"}""", Encoding.UTF8, "application/json"),
            "malformed multipart body" => MalformedMultipart(),
            "multipart boundary over 70 characters" => LongBoundary(wav),
            "body over the limit" or "chunked body over the limit" => TranscriptionUpload.Create(OverLimitWav(), Model),
            "audio longer than the limit" => TranscriptionUpload.Create(LongMuLawWav(), Model),
            "WAV cut inside its RIFF header" => TranscriptionUpload.Create(wav[..10], Model),
            "WAV cut inside its fmt chunk" => TranscriptionUpload.Create(wav[..30], Model),
            "WAV cut inside its data" => TranscriptionUpload.Create(wav[..(wav.Length / 2)], Model),
            "WAV whose RIFF size lies" => TranscriptionUpload.Create(Patched(wav, 4, 0x7FFF_FFF0u), Model),
            "WAV without samples" => TranscriptionUpload.Create(new WavBuilder(16_000, 1, SampleEncoding.PcmSigned16).Build(ReadOnlySpan<float>.Empty), Model),
            "float WAV with NaN samples" => TranscriptionUpload.Create(NaNWav(await speech.MonoAsync(16_000)), Model),
            "WAV with zero channels" => TranscriptionUpload.Create(Patched16(wav, WavBuilder.ChannelsOffset, 0), Model),
            "WAV at 4 GHz" => TranscriptionUpload.Create(Patched(wav, WavBuilder.SampleRateOffset, 4_000_000_000u), Model),
            "WAV with a wrong block align" => TranscriptionUpload.Create(Patched16(wav, WavBuilder.BlockAlignOffset, 3), Model),
            "ADPCM WAV" => TranscriptionUpload.Create(Patched16(wav, WavBuilder.FormatCodeOffset, 2), Model),
            "12-bit PCM WAV" => TranscriptionUpload.Create(Patched16(wav, WavBuilder.BitsOffset, 12), Model),
            "garbage bytes" => TranscriptionUpload.Create(Garbage([]), Model, "audio.mp3"),
            "FLAC signature over garbage" => TranscriptionUpload.Create(Garbage("fLaC"u8), Model, "audio.flac"),
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, "no such bad-input case"),
        };
        var request = new HttpRequestMessage(HttpMethod.Post, TranscriptionUpload.Path) { Content = content };
        if (name == "chunked body over the limit")
        {
            request.Headers.TransferEncodingChunked = true;
        }

        return request;
    }

    private static MultipartFormDataContent TextFile()
    {
        var content = TranscriptionUpload.Create(null, Model);
        content.Add(new StringContent("RIFF...."), "file");
        return content;
    }

    private static StringContent MalformedMultipart()
    {
        var content = new StringContent("--boundary\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\nspeechfm", Encoding.ASCII);
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse("multipart/form-data; boundary=boundary");
        return content;
    }

    // The multipart reader's own boundary limit; it used to be answered as 413 request_too_large.
    private static MultipartFormDataContent LongBoundary(byte[] wav)
    {
        var content = TranscriptionUpload.Create(wav, Model);
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse($"multipart/form-data; boundary=\"{new string('b', 71)}\"");
        return content;
    }

    private static byte[] OverLimitWav()
    {
        var samples = new float[(int)(ServingServerFixture.MaxBodyBytes / 2) + 16_000];
        return new WavBuilder(16_000, 1, SampleEncoding.PcmSigned16).Build(samples);
    }

    private static byte[] LongMuLawWav()
    {
        var samples = new float[(int)((ServingServerFixture.MaxAudioSeconds + 1) * 8_000)];
        return new WavBuilder(8_000, 1, SampleEncoding.MuLaw).Build(samples);
    }

    private static byte[] NaNWav(float[] mono)
    {
        var samples = (float[])mono.Clone();
        samples[samples.Length / 2] = float.NaN;
        return new WavBuilder(16_000, 1, SampleEncoding.IeeeFloat32).Build(samples);
    }

    private static byte[] Garbage(ReadOnlySpan<byte> prefix)
    {
        var bytes = new byte[8192];
        new Random(1234).NextBytes(bytes);
        // Keep the random part from looking like any container the sniffer knows.
        bytes[0] = (byte)'x';
        prefix.CopyTo(bytes);
        return bytes;
    }

    private static byte[] Patched(byte[] wav, int offset, uint value)
    {
        var copy = (byte[])wav.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(offset), value);
        return copy;
    }

    private static byte[] Patched16(byte[] wav, int offset, ushort value)
    {
        var copy = (byte[])wav.Clone();
        BinaryPrimitives.WriteUInt16LittleEndian(copy.AsSpan(offset), value);
        return copy;
    }
}
