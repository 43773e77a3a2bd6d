using System.Buffers.Binary;
using FsCheck;
using FsCheck.Fluent;
using SpeechServe.Runtime.Audio;
using SpeechServe.Tests.Support;

namespace SpeechServe.Runtime.Tests.Audio;

/// <summary>
/// Properties of the WAV parser, which reads uploads straight off the network: valid files of every encoding
/// round-trip; random and mutated files (bit flips, truncations, inflated chunk sizes, inserted and deleted
/// bytes) never throw anything but <see cref="AudioFormatException"/> and never allocate more than the samples
/// the input can hold; a header claiming gigabytes is refused before any sample is decoded.
/// </summary>
public sealed class WavParserPropertyTests
{
    private const long FixedAllowance = 64 * 1024;

    private static readonly SampleEncoding[] Encodings = Enum.GetValues<SampleEncoding>();

    private static readonly Gen<int> CommonRates = Gen.Elements(8_000, 11_025, 16_000, 22_050, 44_100, 48_000, 1_000, 384_000);

    private static readonly Gen<WavCase> ValidWavs = Wavs(Gen.OneOf(CommonRates, Gen.Choose(1_000, 384_000)));

    private static Gen<WavCase> Wavs(Gen<int> rates) =>
        from encoding in Gen.Elements(Encodings)
        from channels in Gen.Choose(1, 3)
        from rate in rates
        from frames in Gen.Choose(1, 400)
        from samples in Gen.ArrayOf(Gen.Choose(-1000, 1000).Select(v => v / 1000f), frames * channels)
        from extensible in Gen.Elements(false, true)
        from listFirst in Gen.Elements(false, true)
        from oddChunk in Gen.Elements(0, 1, 2)
        select new WavCase(
            new WavBuilder(rate, channels, encoding)
            {
                Extensible = extensible,
                ListChunkBeforeFormat = listFirst,
                PaddedOddChunk = oddChunk == 1,
                UnpaddedOddChunk = oddChunk == 2,
            },
            samples);

    [Fact]
    public void Parse_ValidWav_RoundTripsFormatAndSamples()
    {
        ParserProperty.Check(ValidWavs, wav =>
        {
            var parsed = WavParser.Parse(wav.Bytes);

            Assert.Equal(wav.Builder.Encoding, parsed.Format.Encoding);
            Assert.Equal(wav.Builder.Channels, parsed.Format.Channels);
            Assert.Equal(wav.Builder.SampleRate, parsed.Format.SampleRate);
            Assert.Equal(wav.Frames, parsed.Samples.Length);
            var tolerance = Tolerance(wav.Builder.Encoding);
            for (var frame = 0; frame < wav.Frames; frame++)
            {
                var expected = 0.0;
                for (var channel = 0; channel < wav.Builder.Channels; channel++)
                {
                    expected += wav.Samples[(frame * wav.Builder.Channels) + channel];
                }

                Assert.InRange(parsed.Samples[frame], (expected / wav.Builder.Channels) - tolerance, (expected / wav.Builder.Channels) + tolerance);
            }
        });
    }

    [Fact]
    public void Parse_MutatedWav_OnlyAudioFormatExceptionWithinTheInputsSampleBound()
    {
        var mutated = ByteMutations.Mutated(ValidWavs.Select(w => w.Bytes), 4, 16, 20, 24, 32, 40, 64);
        ParserProperty.Check(mutated, bytes => ParserProperty.Guarded<WavAudio, AudioFormatException>(bytes, SampleBound(bytes), b => WavParser.Parse(b)));
    }

    [Fact]
    public void Parse_RandomBytesBehindARiffHeader_OnlyAudioFormatException()
    {
        var random = from body in ByteMutations.RandomBytes(512)
                     from riffSize in Gen.Elements(ByteMutations.InflatedLengths)
                     select (byte[])[.. "RIFF"u8, .. BitConverter.GetBytes((uint)riffSize), .. "WAVE"u8, .. body];
        ParserProperty.Check(random, bytes => ParserProperty.Guarded<WavAudio, AudioFormatException>(bytes, SampleBound(bytes), b => WavParser.Parse(b)));
    }

    [Fact]
    public void Parse_DataChunkClaimingMoreThanTheFile_RefusedBeforeDecoding()
    {
        var inflated = from wav in ValidWavs
                       from claimed in Gen.OneOf(Gen.Elements(0xFFFF_FFFEu, 0x8000_0000u, 0x7FFF_FFFFu, 0x1000_0000u), Gen.Choose(1, int.MaxValue).Select(v => (uint)v))
                       select (wav, claimed);
        ParserProperty.Check(inflated, input =>
        {
            var (wav, claimed) = input;
            var bytes = wav.Bytes;
            var dataSize = bytes.AsSpan().LastIndexOf("data"u8) + 4;
            if (claimed <= bytes.Length - dataSize - 4)
            {
                return;
            }

            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(dataSize), claimed);

            var before = GC.GetAllocatedBytesForCurrentThread();
            var error = Assert.Throws<AudioFormatException>(() => WavParser.Parse(bytes));
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

            Assert.Equal(AudioErrorCode.ChunkSizeExceedsInput, error.ErrorCode);
            Assert.InRange(allocated, 0, FixedAllowance);
        });
    }

    [Fact]
    public void DecodeWav_MutatedWav_OnlyAudioFormatException()
    {
        // The server's path: parse, then resample to 16 kHz. Common rates only: designing the filter bank for an
        // arbitrary rate costs tens of milliseconds (docs/reliability.md), which would make this property slow.
        var mutated = ByteMutations.Mutated(Wavs(CommonRates).Select(w => w.Bytes), 4, 24, 40);
        ParserProperty.Check(mutated, bytes => ParserProperty.Guarded<DecodedAudio, AudioFormatException>(bytes, long.MaxValue, b => AudioDecoder.DecodeWav(b)), cases: 200);
    }

    // The decoded samples (at most one float per input byte) plus a fixed allowance for messages and headers.
    private static long SampleBound(byte[] input) => (4L * input.Length) + FixedAllowance;

    private static double Tolerance(SampleEncoding encoding) => encoding switch
    {
        SampleEncoding.PcmUnsigned8 => 1.0 / 128,
        SampleEncoding.MuLaw or SampleEncoding.ALaw => 1.0 / 16,
        SampleEncoding.PcmSigned16 => 1.0 / 32768,
        _ => 1e-6,
    };

    internal sealed record WavCase(WavBuilder Builder, float[] Samples)
    {
        public int Frames => Samples.Length / Builder.Channels;

        public byte[] Bytes => Builder.Build(Samples);
    }
}
