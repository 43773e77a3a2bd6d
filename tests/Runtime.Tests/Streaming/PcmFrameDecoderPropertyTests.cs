using System.Buffers.Binary;
using FsCheck.Fluent;
using SpeechServe.Runtime.Audio;
using SpeechServe.Runtime.Streaming;
using SpeechServe.Tests.Support;

namespace SpeechServe.Runtime.Tests.Streaming;

/// <summary>
/// Properties of the stream's binary audio frames: any bytes decode or raise <see cref="FormatException"/>
/// (<see cref="AudioFormatException"/> for a non-finite float; never anything else), allocating only the samples
/// the frame holds; whole 16-bit and finite float samples round-trip exactly.
/// </summary>
public sealed class PcmFrameDecoderPropertyTests
{
    // Throwing and catching a FormatException (its message and stack trace) costs a few KiB whatever the frame;
    // the bound is about allocations that grow with what a frame claims.
    private const long FixedAllowance = 16 * 1024;

    [Fact]
    public void Decode_AnyFrame_SamplesOrFormatExceptionWithinTheFramesSize()
    {
        var frames = Gen.Zip(ByteMutations.RandomBytes(4096), Gen.Elements(SampleEncoding.PcmSigned16, SampleEncoding.IeeeFloat32));
        ParserProperty.Check(frames, input =>
        {
            var (frame, encoding) = input;
            var samples = ParserProperty.Guarded<float[], FormatException>(frame, (2L * frame.Length) + FixedAllowance, f => PcmFrameDecoder.Decode(f, encoding));

            if (samples is not null)
            {
                Assert.Equal(0, frame.Length % encoding.BytesPerSample());
                Assert.Equal(frame.Length / encoding.BytesPerSample(), samples.Length);
                Assert.All(samples, s => Assert.True(float.IsFinite(s)));
            }
        }, cases: 500);
    }

    [Fact]
    public void Decode_S16Frame_RoundTripsEverySample()
    {
        ParserProperty.Check(Gen.ArrayOf(Gen.Choose(short.MinValue, short.MaxValue).Select(v => (short)v)), values =>
        {
            var frame = new byte[values.Length * 2];
            for (var i = 0; i < values.Length; i++)
            {
                BinaryPrimitives.WriteInt16LittleEndian(frame.AsSpan(i * 2), values[i]);
            }

            var samples = PcmFrameDecoder.Decode(frame, SampleEncoding.PcmSigned16);

            Assert.Equal(values.Select(v => v / 32768f), samples);
        });
    }

    [Fact]
    public void Decode_F32Frame_FiniteSamplesRoundTripNonFiniteRefused()
    {
        var values = Gen.ArrayOf(Gen.OneOf(
            Gen.Choose(-1_000_000, 1_000_000).Select(v => v / 1_000_000f),
            Gen.Elements(float.NaN, float.PositiveInfinity, float.NegativeInfinity, float.MaxValue, float.Epsilon, -0f)));
        ParserProperty.Check(values, floats =>
        {
            var frame = new byte[floats.Length * 4];
            for (var i = 0; i < floats.Length; i++)
            {
                BinaryPrimitives.WriteSingleLittleEndian(frame.AsSpan(i * 4), floats[i]);
            }

            if (floats.All(float.IsFinite))
            {
                Assert.Equal(floats, PcmFrameDecoder.Decode(frame, SampleEncoding.IeeeFloat32));
            }
            else
            {
                var error = Assert.Throws<AudioFormatException>(() => PcmFrameDecoder.Decode(frame, SampleEncoding.IeeeFloat32));
                Assert.Equal(AudioErrorCode.NonFiniteSample, error.ErrorCode);
            }
        });
    }
}
