using System.Buffers.Binary;
using FsCheck;
using FsCheck.Fluent;
using SpeechServe.Runtime.Tensors;
using SpeechServe.Tests.Support;

namespace SpeechServe.Runtime.Tests.Tensors;

/// <summary>
/// Properties of the safetensors reader, which reads the weights of uploaded adapter packages: files the
/// writer produced round-trip; random and mutated files only raise <see cref="CheckpointFormatException"/> and
/// allocate in proportion to the input; a header claiming a tensor of gigabytes, or a header length past the
/// end of the file, is refused without allocating for it.
/// </summary>
public sealed class SafetensorsReaderPropertyTests
{
    private const long FixedAllowance = 64 * 1024;

    private static readonly TensorDType[] DTypes = Enum.GetValues<TensorDType>();

    private static readonly Gen<string> Names =
        Gen.ArrayOf(Gen.Elements("abcxyz.019_-/ \"\\é漢🎙\u0001".EnumerateRunes().Select(r => r.ToString()).ToArray()))
            .Select(parts => string.Concat(parts))
            .Where(name => name.Length > 0 && name != "__metadata__");

    private static readonly Gen<NamedTensor> Tensors =
        from name in Names
        from dtype in Gen.Elements(DTypes)
        from shape in Gen.Choose(0, 3).SelectMany(rank => Gen.ArrayOf(Gen.Choose(0, 5).Select(d => (long)d), rank))
        from seed in Gen.Choose(0, int.MaxValue)
        select Tensor(name, dtype, shape, seed);

    private static readonly Gen<(NamedTensor[] Tensors, Dictionary<string, string> Metadata)> Files =
        from tensors in Gen.Choose(0, 6).SelectMany(count => Gen.ArrayOf(Tensors, count))
        from metadata in Gen.Choose(0, 3).SelectMany(count => Gen.ArrayOf(Gen.Zip(Names, Names), count))
        select (
            tensors.DistinctBy(t => t.Name, StringComparer.Ordinal).ToArray(),
            metadata.DistinctBy(m => m.Item1, StringComparer.Ordinal).ToDictionary(m => m.Item1, m => m.Item2, StringComparer.Ordinal));

    private static readonly Gen<byte[]> ValidFiles = Files.Select(f => SafetensorsWriter.WriteToArray(f.Tensors, f.Metadata));

    [Fact]
    public void Read_WrittenFile_RoundTripsTensorsAndMetadata()
    {
        ParserProperty.Check(Files, file =>
        {
            var read = SafetensorsReader.Read(SafetensorsWriter.WriteToArray(file.Tensors, file.Metadata));

            var expected = file.Tensors.OrderBy(t => t.Name, StringComparer.Ordinal).ToArray();
            var actual = read.Tensors.OrderBy(t => t.Name, StringComparer.Ordinal).ToArray();
            TensorSamples.AssertSameTensors(expected, actual);
            Assert.Equal(file.Metadata.OrderBy(m => m.Key, StringComparer.Ordinal), read.Metadata.OrderBy(m => m.Key, StringComparer.Ordinal));
        });
    }

    [Fact]
    public void Read_MutatedFile_OnlyCheckpointFormatExceptionWithinAProportionalBound()
    {
        // Offsets 0-7 hold the header length; the mutations also hit the JSON and the data at random.
        ParserProperty.Check(ByteMutations.Mutated(ValidFiles, 0, 4), bytes =>
            ParserProperty.Guarded<SafetensorsFile, CheckpointFormatException>(bytes, ProportionalBound(bytes), b => SafetensorsReader.Read(b)));
    }

    [Fact]
    public void Read_RandomBytes_OnlyCheckpointFormatException()
    {
        var random = from length in Gen.Choose(0, 600)
                     from rest in ByteMutations.RandomBytes(600)
                     select (byte[])[.. BitConverter.GetBytes((ulong)length), .. rest];
        ParserProperty.Check(Gen.OneOf(random, ByteMutations.RandomBytes(64)), bytes =>
            ParserProperty.Guarded<SafetensorsFile, CheckpointFormatException>(bytes, ProportionalBound(bytes), b => SafetensorsReader.Read(b)));
    }

    [Fact]
    public void Read_HeaderClaimingAHugeTensor_RefusedWithoutAllocatingForIt()
    {
        var claims = from dims in Gen.Choose(1, 3).SelectMany(rank => Gen.ArrayOf(Gen.Elements(1L << 30, 1L << 31, 1L << 20, 65_536L, int.MaxValue), rank))
                     from dtype in Gen.Elements("F32", "F64", "U8", "BF16")
                     from end in Gen.Elements(4L << 30, 1L << 32, long.MaxValue, 16L)
                     from data in Gen.Choose(0, 64)
                     select SafetensorsBytes.Build(
                         $$$"""{"w":{"dtype":"{{{dtype}}}","shape":[{{{string.Join(',', dims)}}}],"data_offsets":[0,{{{end}}}]}}""", new byte[data]);
        ParserProperty.Check(claims, bytes =>
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            Assert.Throws<CheckpointFormatException>(() => SafetensorsReader.Read(bytes));
            Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, FixedAllowance);
        });
    }

    [Fact]
    public void Read_HeaderLengthPastTheEnd_RefusedWithoutAllocatingForIt()
    {
        var files = from file in ValidFiles
                    from extra in Gen.Elements(ByteMutations.InflatedLengths.Where(v => v > 0).ToArray())
                    select (file, extra);
        ParserProperty.Check(files, input =>
        {
            var (file, extra) = input;
            var declared = (ulong)(file.Length - 8) + Math.Max(extra % (1UL << 62), 1);
            BinaryPrimitives.WriteUInt64LittleEndian(file, declared);

            var before = GC.GetAllocatedBytesForCurrentThread();
            var error = Assert.Throws<CheckpointFormatException>(() => SafetensorsReader.Read(file));
            Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, FixedAllowance);
            Assert.Equal(CheckpointFormatRules.HeaderLength, error.Rule);
        });
    }

    // The parsed JSON (a few times the header) and the tensor list, plus messages.
    private static long ProportionalBound(byte[] input) => (16L * input.Length) + FixedAllowance;

    private static NamedTensor Tensor(string name, TensorDType dtype, long[] shape, int seed)
    {
        TensorShape.TryGetByteCount(shape, dtype, out var bytes);
        var data = new byte[bytes];
        new Random(seed).NextBytes(data);
        return new NamedTensor(name, dtype, shape, data);
    }
}
